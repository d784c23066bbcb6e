package dev.emotion.core.view;

import dev.emotion.core.contract.CrossValidationProgress;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Cross-validation status folded from {@link CrossValidationProgress} events, so any training-service replica
 * answers a status query; once one ended, a slower worker's later "running" does not change it.
 */
public final class CrossValidationBoard {

    private final StatusBoard<CrossValidationProgress> runs = new StatusBoard<>(
            CrossValidationProgress::crossValidationId, CrossValidationProgress::state, CrossValidationProgress::at);

    public void apply(CrossValidationProgress event) {
        runs.apply(event);
    }

    public Optional<CrossValidationProgress> get(String crossValidationId) {
        return runs.get(crossValidationId);
    }

    /** Those of one study (every one when null), newest first. */
    public List<CrossValidationProgress> list(String studyId) {
        return runs.all().stream().filter(p -> studyId == null || studyId.equals(p.studyId()))
                .sorted(Comparator.comparing(CrossValidationProgress::submittedAt).reversed()).toList();
    }

    /** How far this view has read the progress topic. */
    public ViewPosition position() {
        return runs.position();
    }
}
