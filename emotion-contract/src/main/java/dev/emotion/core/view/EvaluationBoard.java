package dev.emotion.core.view;

import dev.emotion.core.contract.EvaluationProgress;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Evaluation status folded from {@link EvaluationProgress} events, so any replica answers a status query. Once an
 * evaluation ended (completed, failed, cancelled), later non-final events (a slower worker's) do not change it.
 */
public final class EvaluationBoard {

    private final StatusBoard<EvaluationProgress> evaluations = new StatusBoard<>(EvaluationProgress::evaluationId,
            EvaluationProgress::state, EvaluationProgress::at);

    public void apply(EvaluationProgress event) {
        evaluations.apply(event);
    }

    public Optional<EvaluationProgress> evaluation(String evaluationId) {
        return evaluations.get(evaluationId);
    }

    /** Newest first. */
    public List<EvaluationProgress> all() {
        return evaluations.all().stream().sorted(Comparator.comparing(EvaluationProgress::submittedAt)
                .reversed()).toList();
    }

    /** How far this view has read the progress topic. */
    public ViewPosition position() {
        return evaluations.position();
    }
}
