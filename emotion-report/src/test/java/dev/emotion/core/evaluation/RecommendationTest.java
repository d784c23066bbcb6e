package dev.emotion.core.evaluation;

import dev.emotion.core.metrics.Bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emotion.core.contract.Architecture;
import dev.emotion.core.contract.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The deployment rule on injected answers and latencies: no model needs to be trained to check it. Validation
 * answers are made per frame (8 people x 40 frames, 7 classes): each model is right on a given share of frames.
 */
class RecommendationTest {

    static ModelEvaluator.ModelResult model(String id, Architecture a, Task t, double macroF1, double low,
                                            double high, double p50Ms) {
        return new ModelEvaluator.ModelResult(id, a, t, 100, List.of("p09", "p10"), Map.of("macro_f1", macroF1),
                Map.of("macro_f1", new Bootstrap.Interval(low, high)), null, null, null, null, Map.of(),
                new Efficiency(1, 1, 1, p50Ms, p50Ms, 100, 0, 10, "test"), null, Map.of(), List.of(), Map.of(), null,
                List.of());
    }

    /** A classifier right on {@code rightShare} of the validation frames (seeded), with test macro-F1 {@code test}. */
    static ModelEvaluator.ModelResult validated(String id, Architecture a, double rightShare, double test,
                                                double p50Ms, long seed) {
        List<String> ids = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        int n = 8 * 40;
        int[] truth = new int[n];
        int[] predicted = new int[n];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            ids.add("f" + i);
            groups.add("p" + (i / 40));
            truth[i] = i % 7;
            predicted[i] = random.nextDouble() < rightShare ? truth[i] : (truth[i] + 1 + random.nextInt(6)) % 7;
        }
        ModelEvaluator.Selection s = new ModelEvaluator.Selection(ids, groups, truth, predicted);
        double f1 = Recommendation.macroF1(truth, predicted, null);
        return model(id, a, Task.EMOTION_CLASS, test, test - 0.05, test + 0.05, p50Ms)
                .withSelection(Map.of("macro_f1", f1, "accuracy", rightShare), s);
    }

    static ModelEvaluator.ModelResult baseline(double rightShare) {
        return validated("face_expression_baseline", Architecture.FACE_EXPRESSION_BASELINE, rightShare, 0.40, 12, 99);
    }

    @Test
    void theChoiceIsMadeOnValidationPeopleNotOnTheTestSplitItReports() {
        Recommendation r = Recommendation.choose(List.of(baseline(0.40),
                validated("cnn", Architecture.CNN_SIMPLE, 0.85, 0.70, 9, 1),
                validated("vit", Architecture.VIT_SCRATCH, 0.55, 0.95, 9, 2)));
        assertEquals("cnn", r.modelId(), "vit is better on test, cnn on validation: validation decides");
        assertEquals("validation", r.selectedOn());
        assertTrue(r.reason().contains("beats the zero-training baseline"), r.reason());
        assertTrue(r.reason().contains("on the test split, scored after the choice, its macro-F1 is 0.700"),
                r.reason());
        assertEquals(List.of("cnn"), r.tiedWithBest(), "0.85 vs 0.55 right over 320 frames of 8 people differs");
    }

    @Test
    void aModelNotSignificantlyWorseIsTiedAndTheFasterOfTheTiedWins() {
        Recommendation r = Recommendation.choose(List.of(baseline(0.30),
                validated("resnet", Architecture.RESNET_PRETRAINED, 0.80, 0.80, 30, 3),
                validated("cnn", Architecture.CNN_SIMPLE, 0.78, 0.80, 4, 4)));
        assertEquals("cnn", r.modelId(), "a 2-point gap is within the paired interval, and cnn is faster");
        assertEquals(List.of("resnet", "cnn"), r.tiedWithBest());
        assertTrue(r.pairedTests().stream().anyMatch(t -> t.model().equals("resnet") && t.against().equals("cnn")
                && t.holmP() != null && t.holmP() >= 0.05), r.pairedTests().toString());
        assertTrue(r.reason().contains("not significantly worse"), r.reason());
    }

    @Test
    void aModelAtChanceIsNeverRecommendedEvenWhenItIsTheOnlyOne() {
        // a model trained 1 epoch answers at random: 1/7 right
        Recommendation r = Recommendation.choose(List.of(baseline(0.10),
                validated("cnn-1-epoch", Architecture.CNN_SIMPLE, 1.0 / 7, 0.15, 4, 5)));
        assertNull(r.modelId());
        assertTrue(r.reason().startsWith("no model recommended"), r.reason());
        assertTrue(r.reason().contains("does not lie above chance (0.143, 7 classes)"), r.reason());
        assertTrue(r.reason().contains("Serving keeps the model it served"), r.reason());
    }

    @Test
    void aTrainedModelThatDoesNotBeatTheZeroTrainingBaselineIsNotRecommended() {
        Recommendation r = Recommendation.choose(List.of(baseline(0.60),
                validated("resnet", Architecture.RESNET_PRETRAINED, 0.58, 0.90, 20, 6),
                validated("cnn", Architecture.CNN_SIMPLE, 0.30, 0.90, 4, 7)));
        assertNull(r.modelId(), r.reason());
        assertTrue(r.reason().contains("resnet is not better than the zero-training baseline"), r.reason());
        Recommendation unchecked = Recommendation.choose(List.of(
                validated("resnet", Architecture.RESNET_PRETRAINED, 0.90, 0.90, 20, 6)));
        assertNull(unchecked.modelId(), "without the baseline beside it nothing says it beats the baseline");
        assertTrue(unchecked.reason().contains("evaluate face_expression_baseline with it"), unchecked.reason());
    }

    @Test
    void withoutAValidationSplitNothingIsChosen() {
        Recommendation r = Recommendation.choose(List.of(
                model("cnn", Architecture.CNN_SIMPLE, Task.EMOTION_CLASS, 0.80, 0.75, 0.85, 9)));
        assertNull(r.modelId());
        assertTrue(r.reason().contains("never on the test split"), r.reason());
    }

    @Test
    void onlyModelsThatOutputEmotionsCanBeRecommended() {
        Recommendation none = Recommendation.choose(List.of(
                model("attention", Architecture.CNN_SIMPLE, Task.ATTENTION_REGRESSION, 0.99, 0.98, 1.0, 1)));
        assertNull(none.modelId());
        Recommendation multilabel = Recommendation.choose(List.of(
                model("attention", Architecture.CNN_SIMPLE, Task.ATTENTION_REGRESSION, 0.99, 0.98, 1.0, 1),
                model("multi", Architecture.CNN_SIMPLE, Task.EMOTION_MULTILABEL, 0.40, 0.30, 0.50, 5)
                        .withSelection(Map.of("macro_f1", 0.45), null)));
        assertEquals("multi", multilabel.modelId(), "multilabel when there is no dominant-emotion classifier");
    }

    @Test
    void holmAdjustsStepDownAndKeepsOrder() {
        List<Double> adjusted = Recommendation.holm(List.of(0.04, 0.01, 0.03));
        assertEquals(0.06, adjusted.get(0), 1e-12);
        assertEquals(0.03, adjusted.get(1), 1e-12);
        assertEquals(0.06, adjusted.get(2), 1e-12, "monotone: never below the previous step");
    }
}
