package dev.emotion.core.view;

import dev.emotion.core.contract.EvaluationProgress;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Evaluation status folded from {@link EvaluationProgress} events, so any replica answers a status query. Once an
 * evaluation ended (completed, failed, cancelled), later non-final events (a slower worker's) do not change it.
 */
public final class EvaluationBoard {

    private final Map<String, EvaluationProgress> evaluations = new ConcurrentHashMap<>();
    private final ViewPosition position = new ViewPosition();

    public void apply(EvaluationProgress event) {
        evaluations.merge(event.evaluationId(), event, (current, next) -> {
            if (current.state().isFinal() && !next.state().isFinal()) {
                return current;
            }
            return next.at().isBefore(current.at()) ? current : next;
        });
    }

    public Optional<EvaluationProgress> evaluation(String evaluationId) {
        return Optional.ofNullable(evaluations.get(evaluationId));
    }

    /** Newest first. */
    public List<EvaluationProgress> all() {
        return evaluations.values().stream().sorted(Comparator.comparing(EvaluationProgress::submittedAt)
                .reversed()).toList();
    }

    /** How far this view has read the progress topic. */
    public ViewPosition position() {
        return position;
    }
}
