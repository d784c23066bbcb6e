package dev.emotion.core.evaluation;

import dev.emotion.core.metrics.Bootstrap;

import dev.emotion.core.contract.Task;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The rule that picks the model to deploy, explained in words: among the models that output emotion probabilities
 * (dominant-emotion classifiers and the affect models' dominant-emotion head, judged on the same frames; else
 * multilabel), take the best macro-F1; every model whose macro-F1 reaches the
 * lower end of the best one's 95 % CI is statistically as good, and of those the fastest (p50 latency) wins.
 */
public record Recommendation(String modelId, String reason, List<String> tiedWithBest) {

    public static Recommendation choose(List<ModelEvaluator.ModelResult> results) {
        for (List<Task> kind : List.of(List.of(Task.EMOTION_CLASS, Task.AFFECT), List.of(Task.EMOTION_MULTILABEL))) {
            String task = String.join("/", kind.stream().map(Task::id).toList());
            List<ModelEvaluator.ModelResult> candidates = results.stream().filter(r -> kind.contains(r.task()))
                    .filter(r -> r.metrics().containsKey("macro_f1")).toList();
            if (candidates.isEmpty()) {
                continue;
            }
            ModelEvaluator.ModelResult best = candidates.stream()
                    .max(Comparator.comparingDouble(r -> r.metrics().get("macro_f1"))).orElseThrow();
            double bestF1 = best.metrics().get("macro_f1");
            Bootstrap.Interval ci = best.confidenceIntervals() == null ? null
                    : best.confidenceIntervals().get("macro_f1");
            double floor = ci == null ? bestF1 : ci.low();
            List<ModelEvaluator.ModelResult> tied = candidates.stream()
                    .filter(r -> r.metrics().get("macro_f1") >= floor).toList();
            ModelEvaluator.ModelResult chosen = tied.stream()
                    .min(Comparator.comparingDouble(r -> r.efficiency().latencyP50Ms())).orElseThrow();
            String reason;
            if (tied.size() == 1) {
                reason = String.format(Locale.ROOT, "%s has the best macro-F1 among %s models (%.3f, 95 %% CI "
                                + "%.3f-%.3f) and no other model reaches its CI's lower end", chosen.modelId(),
                        task, bestF1, floor, ci == null ? bestF1 : ci.high());
            } else if (chosen == best) {
                reason = String.format(Locale.ROOT, "%s has the best macro-F1 among %s models (%.3f); %d model(s) "
                                + "are within its 95 %% CI (>= %.3f) and it is also the fastest of them (p50 %.1f ms)",
                        chosen.modelId(), task, bestF1, tied.size() - 1, floor,
                        chosen.efficiency().latencyP50Ms());
            } else {
                reason = String.format(Locale.ROOT, "%s (macro-F1 %.3f) is within the 95 %% CI of the best, %s "
                                + "(%.3f, CI lower end %.3f), so the difference is not significant; it is the fastest"
                                + " of the %d tied models (p50 %.1f ms vs %.1f ms)", chosen.modelId(),
                        chosen.metrics().get("macro_f1"), best.modelId(), bestF1, floor, tied.size(),
                        chosen.efficiency().latencyP50Ms(), best.efficiency().latencyP50Ms());
            }
            return new Recommendation(chosen.modelId(), reason,
                    tied.stream().map(ModelEvaluator.ModelResult::modelId).toList());
        }
        return new Recommendation(null, "no evaluated model outputs emotion probabilities (emotion_class, "
                + "affect or emotion_multilabel): nothing to deploy for scoring", List.of());
    }
}
