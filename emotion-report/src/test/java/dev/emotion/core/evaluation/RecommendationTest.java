package dev.emotion.core.evaluation;

import dev.emotion.core.metrics.Bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emotion.core.contract.Architecture;
import dev.emotion.core.contract.Task;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The deployment rule on injected metrics and latencies: no model needs to be trained to check it. */
class RecommendationTest {

    static ModelEvaluator.ModelResult model(String id, Architecture a, Task t, double macroF1, double low,
                                            double high, double p50Ms) {
        return new ModelEvaluator.ModelResult(id, a, t, 100, List.of("p09", "p10"), Map.of("macro_f1", macroF1),
                Map.of("macro_f1", new Bootstrap.Interval(low, high)), null, null, null, null, Map.of(),
                new Efficiency(1, 1, 1, p50Ms, p50Ms, 100, 0, 10, "test"), null, Map.of(), List.of(), Map.of(), null,
                List.of());
    }

    @Test
    void theBestWinsWhenNobodyReachesTheLowerEndOfItsInterval() {
        Recommendation r = Recommendation.choose(List.of(
                model("cnn", Architecture.CNN_SIMPLE, Task.EMOTION_CLASS, 0.80, 0.75, 0.85, 9),
                model("vit", Architecture.VIT_SCRATCH, Task.EMOTION_CLASS, 0.60, 0.50, 0.70, 3)));
        assertEquals("cnn", r.modelId());
        assertEquals(List.of("cnn"), r.tiedWithBest());
        assertTrue(r.reason().contains("no other model reaches its CI's lower end"), r.reason());
    }

    @Test
    void aModelInsideTheBestsIntervalIsTiedAndTheFasterOfTheTiedWins() {
        Recommendation r = Recommendation.choose(List.of(
                model("resnet", Architecture.RESNET_PRETRAINED, Task.EMOTION_CLASS, 0.82, 0.74, 0.90, 30),
                model("cnn", Architecture.CNN_SIMPLE, Task.EMOTION_CLASS, 0.76, 0.70, 0.82, 4),
                model("vit", Architecture.VIT_SCRATCH, Task.EMOTION_CLASS, 0.70, 0.60, 0.80, 2)));
        assertEquals("cnn", r.modelId(), "0.76 >= 0.74: not significantly worse, and faster");
        assertEquals(List.of("resnet", "cnn"), r.tiedWithBest());
        assertTrue(r.reason().contains("not significant"), r.reason());
    }

    @Test
    void aZeroTrainingBaselineThatWinsIsRecommendedAndExactTiesGoToTheFaster() {
        Recommendation baseline = Recommendation.choose(List.of(
                model("baseline", Architecture.FACE_EXPRESSION_BASELINE, Task.EMOTION_CLASS, 0.50, 0.45, 0.55, 12),
                model("cnn", Architecture.CNN_SIMPLE, Task.EMOTION_CLASS, 0.30, 0.25, 0.35, 4)));
        assertEquals("baseline", baseline.modelId(), "the rule does not favour trained models");
        Recommendation tie = Recommendation.choose(List.of(
                model("slow", Architecture.RESNET_PRETRAINED, Task.EMOTION_CLASS, 0.70, 0.70, 0.70, 20),
                model("fast", Architecture.CNN_SIMPLE, Task.EMOTION_CLASS, 0.70, 0.70, 0.70, 5)));
        assertEquals("fast", tie.modelId());
    }

    @Test
    void onlyModelsThatOutputEmotionsCanBeRecommended() {
        Recommendation none = Recommendation.choose(List.of(
                model("attention", Architecture.CNN_SIMPLE, Task.ATTENTION_REGRESSION, 0.99, 0.98, 1.0, 1)));
        assertNull(none.modelId());
        Recommendation multilabel = Recommendation.choose(List.of(
                model("attention", Architecture.CNN_SIMPLE, Task.ATTENTION_REGRESSION, 0.99, 0.98, 1.0, 1),
                model("multi", Architecture.CNN_SIMPLE, Task.EMOTION_MULTILABEL, 0.40, 0.30, 0.50, 5)));
        assertEquals("multi", multilabel.modelId(), "multilabel when there is no dominant-emotion classifier");
    }
}
