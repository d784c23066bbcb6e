package dev.emotion.core.evaluation;

import dev.emotion.core.metrics.Bootstrap;
import dev.emotion.core.metrics.ClassificationMetrics;
import dev.emotion.core.metrics.MultilabelMetrics;
import dev.emotion.core.metrics.Probabilities;
import dev.emotion.core.metrics.RegressionMetrics;
import dev.emotion.core.metrics.Roc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Every metric against values worked out by hand, and AUC against an independent pairwise count. */
class MetricsTest {

    private static final double EPS = 1e-9;
    private static final List<String> ABC = List.of("a", "b", "c");

    /** A probability row whose arg-max is {@code cls}. */
    private static double[] peaked(int cls, int k, double p) {
        double[] row = new double[k];
        java.util.Arrays.fill(row, (1 - p) / (k - 1));
        row[cls] = p;
        return row;
    }

    @Test
    void classificationByHand() {
        int[] truth = {0, 0, 1, 1, 2, 2};
        int[] pred = {0, 1, 1, 1, 2, 0};
        double[][] probs = new double[6][];
        for (int i = 0; i < 6; i++) {
            probs[i] = peaked(pred[i], 3, 0.6);
        }
        ClassificationMetrics m = ClassificationMetrics.of(truth, probs, ABC);
        assertEquals(4.0 / 6, m.accuracy(), EPS);
        // class a: P 1/2 R 1/2 F1 1/2; b: P 2/3 R 1 F1 0.8; c: P 1 R 1/2 F1 2/3
        assertEquals((0.5 + 0.8 + 2.0 / 3) / 3, m.macroF1(), EPS);
        assertEquals((0.5 + 0.8 + 2.0 / 3) / 3, m.weightedF1(), EPS);
        assertEquals((0.5 + 1 + 0.5) / 3, m.balancedAccuracy(), EPS);
        assertEquals(2.0 / 3, m.perClass().get(1).precision(), EPS);
        assertEquals(1, m.confusion()[2][0]);
        assertEquals(0.5, m.confusionNormalized()[0][1], EPS);
        // log-loss: right rows have p = 0.6, wrong rows p = 0.2 for the true class
        assertEquals(-(4 * Math.log(0.6) + 2 * Math.log(0.2)) / 6, m.logLoss(), EPS);
    }

    @Test
    void classNeverPredictedAndClassAbsent() {
        int[] truth = {0, 0, 1, 1};
        double[][] probs = {peaked(0, 3, 0.9), peaked(0, 3, 0.9), peaked(0, 3, 0.5), peaked(0, 3, 0.5)};
        ClassificationMetrics m = ClassificationMetrics.of(truth, probs, ABC);
        assertEquals(0.5, m.accuracy(), EPS);
        // a: P 1/2 R 1 F1 2/3; b: never predicted -> 0; c neither annotated nor predicted -> left out
        assertEquals((2.0 / 3 + 0) / 2, m.macroF1(), EPS);
        // predicting a class nobody shows costs: c predicted once (F1 0) joins the average; recall is unchanged
        double[][] wrongC = {peaked(0, 3, 0.9), peaked(2, 3, 0.9), peaked(1, 3, 0.9), peaked(1, 3, 0.9)};
        ClassificationMetrics c = ClassificationMetrics.of(truth, wrongC, ABC);
        assertEquals((2.0 / 3 + 1 + 0) / 3, c.macroF1(), EPS, "a: P 1 R 1/2; b: P 1 R 1; c: 0");
        assertEquals((0.5 + 1) / 2, c.balancedAccuracy(), EPS);
        assertEquals(c.macroF1(), Recommendation.macroF1(truth, new int[] {0, 2, 1, 1}, null), EPS,
                "the resampling macro-F1 is the headline's");
        assertEquals(0.5, m.balancedAccuracy(), EPS);
        assertTrue(m.notes().stream().anyMatch(n -> n.contains("'b'") && n.contains("never predicted")), m.notes()
                .toString());
        assertTrue(Double.isNaN(m.perClass().get(2).auc()), "AUC of an absent class is undefined");
    }

    @Test
    void singleClassSplit() {
        int[] truth = {1, 1, 1};
        double[][] probs = {peaked(1, 3, 0.7), peaked(0, 3, 0.7), peaked(1, 3, 0.4)};
        ClassificationMetrics m = ClassificationMetrics.of(truth, probs, ABC);
        assertEquals(2.0 / 3, m.accuracy(), EPS);
        assertTrue(Double.isNaN(m.aucMacro()));
        assertTrue(!m.headline().containsKey("auc_macro"), "an undefined AUC is left out, not reported as NaN");
        assertTrue(m.notes().stream().anyMatch(n -> n.contains("single class")));
    }

    @Test
    void emptySplitIsAnErrorNotNaN() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClassificationMetrics.of(new int[0], new double[0][], ABC));
        assertTrue(e.getMessage().contains("empty"));
        assertThrows(IllegalArgumentException.class, () -> RegressionMetrics.of(new double[0], new double[0]));
    }

    @Test
    void aucKnownValuesAndTies() {
        assertEquals(0.75, Roc.auc(new double[] {0.1, 0.4, 0.35, 0.8}, new boolean[] {false, false, true, true}),
                EPS);
        assertEquals(0.5, Roc.auc(new double[] {0.3, 0.3, 0.3, 0.3}, new boolean[] {true, false, true, false}), EPS);
        assertEquals(1.0, Roc.auc(new double[] {0.1, 0.9}, new boolean[] {false, true}), EPS);
        List<Roc.Point> curve = Roc.curve(new double[] {0.1, 0.4, 0.35, 0.8}, new boolean[] {false, false, true,
                true});
        assertEquals(new Roc.Point(0, 0), curve.get(0));
        assertEquals(new Roc.Point(1, 1), curve.get(curve.size() - 1));
    }

    @Test
    void aucEqualsMannWhitneyPairCount() {
        SplittableRandom r = new SplittableRandom(3);
        for (int trial = 0; trial < 20; trial++) {
            int n = 50 + r.nextInt(100);
            double[] s = new double[n];
            boolean[] pos = new boolean[n];
            for (int i = 0; i < n; i++) {
                pos[i] = r.nextDouble() < 0.3;
                s[i] = Math.round((r.nextDouble() + (pos[i] ? 0.3 : 0)) * 20) / 20.0; // coarse: many ties
            }
            double wins = 0;
            long pairs = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (pos[i] && !pos[j]) {
                        pairs++;
                        wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                    }
                }
            }
            assertEquals(wins / pairs, Roc.auc(s, pos), 1e-12);
        }
    }

    @Test
    void multilabelByHand() {
        boolean[][] truth = {{true, false}, {true, true}, {false, false}};
        double[][] probs = {{0.9, 0.6}, {0.2, 0.7}, {0.1, 0.1}};
        MultilabelMetrics m = MultilabelMetrics.of(truth, probs, List.of("x", "y"));
        // x: tp1 fn1; y: tp1 fp1 -> micro F1 = 2*2 / (4 + 1 + 1)
        assertEquals(4.0 / 6, m.microF1(), EPS);
        assertEquals((2.0 / 3 + 2.0 / 3) / 2, m.macroF1(), EPS);
        assertEquals(2.0 / 6, m.hammingLoss(), EPS);
        assertEquals(1.0, m.perLabel().get(0).auc(), EPS);
    }

    @Test
    void regressionByHand() {
        RegressionMetrics m = RegressionMetrics.of(new double[] {1, 2, 3}, new double[] {1, 2, 4});
        assertEquals(1.0 / 3, m.mae(), EPS);
        assertEquals(Math.sqrt(1.0 / 3), m.rmse(), EPS);
        assertEquals(1.0, m.spearman(), EPS);
        assertEquals(3 / Math.sqrt(2 * (42.0 / 9)), m.pearson(), EPS);
        assertEquals(2.0 / (2.0 / 3 + 42.0 / 27 + 1.0 / 9), m.ccc(), EPS);
        RegressionMetrics flat = RegressionMetrics.of(new double[] {0.5, 0.5}, new double[] {0.1, 0.9});
        assertTrue(Double.isNaN(flat.pearson()));
        assertTrue(!flat.headline().containsKey("pearson"));
    }

    @Test
    void calibrationErrorByHand() {
        // Two samples at confidence 0.9 (one right), two at 0.6 (both right): ECE = 0.5*|0.5-0.9| + 0.5*|1-0.6|
        int[] truth = {0, 1, 0, 0};
        double[][] probs = {{0.9, 0.1}, {0.9, 0.1}, {0.6, 0.4}, {0.6, 0.4}};
        Calibration.Result r = Calibration.of(truth, probs, 15);
        assertEquals(0.5 * 0.4 + 0.5 * 0.4, r.ece(), EPS);
        assertEquals(15, r.bins().size());
        assertEquals(2, r.bins().stream().filter(b -> b.count() > 0).count());
    }

    @Test
    void temperatureScalingRecoversTheOverconfidenceFactor() {
        SplittableRandom r = new SplittableRandom(11);
        int n = 6000;
        int[] truth = new int[n];
        double[][] logits = new double[n][3];
        for (int i = 0; i < n; i++) {
            double[] z = {r.nextGaussian(), r.nextGaussian(), r.nextGaussian()};
            double[] p = Probabilities.softmax(new double[][] {z}, 1)[0];
            double u = r.nextDouble();
            truth[i] = u < p[0] ? 0 : u < p[0] + p[1] ? 1 : 2;
            for (int k = 0; k < 3; k++) {
                logits[i][k] = 3 * z[k]; // the model is 3x overconfident
            }
        }
        double t = Calibration.fitTemperature(truth, logits);
        assertEquals(3.0, t, 0.3);
        double before = Calibration.of(truth, Probabilities.softmax(logits, 1), 15).ece();
        double after = Calibration.of(truth, Probabilities.softmax(logits, t), 15).ece();
        assertTrue(after < before / 2, "ECE " + before + " -> " + after);
    }

    @Test
    void mcnemarExactPValues() {
        boolean[] a = {true, true, true, true, true, false};
        boolean[] b = {false, false, false, false, false, false};
        McNemar t = McNemar.test("a", "b", a, b);
        assertEquals(5, t.firstOnlyCorrect());
        assertEquals(0, t.secondOnlyCorrect());
        assertEquals(2 * Math.pow(0.5, 5), t.pValue(), EPS);
        assertEquals(2 * 11 / 1024.0, McNemar.exactP(1, 9), EPS);
        assertEquals(1.0, McNemar.exactP(0, 0), EPS);
        assertEquals(1.0, McNemar.exactP(7, 7), EPS);
        assertTrue(McNemar.exactP(400, 600) < 1e-9, "large counts stay finite");
        assertTrue(!McNemar.test("a", "b", a, a).significant());
    }

    @Test
    void bootstrapIntervalsBracketTheEstimateAndWidenWithFewParticipants() {
        SplittableRandom r = new SplittableRandom(5);
        int n = 600;
        boolean[] right = new boolean[n];
        List<String> six = new java.util.ArrayList<>();
        List<String> one = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            int person = i / 100;
            right[i] = r.nextDouble() < 0.4 + 0.1 * person; // people differ
            six.add("p" + person);
            one.add("p");
        }
        java.util.function.Function<int[], Map<String, Double>> acc = idx -> {
            double c = 0;
            for (int i : idx) {
                c += right[i] ? 1 : 0;
            }
            return Map.of("accuracy", c / idx.length);
        };
        Bootstrap.Interval byPerson = Bootstrap.intervals(six, acc, 500, 1).get("accuracy");
        Bootstrap.Interval byFrame = Bootstrap.intervals(one, acc, 500, 1).get("accuracy");
        double estimate = acc.apply(java.util.stream.IntStream.range(0, n).toArray()).get("accuracy");
        assertTrue(byPerson.low() < estimate && estimate < byPerson.high(), byPerson + " " + estimate);
        assertTrue(byPerson.high() - byPerson.low() > byFrame.high() - byFrame.low(),
                "resampling people must widen the interval: " + byPerson + " vs " + byFrame);
        assertEquals(Bootstrap.intervals(six, acc, 500, 1), Bootstrap.intervals(six, acc, 500, 1));
        assertEquals(2.5, Bootstrap.percentile(new double[] {1, 2, 3, 4}, 0.5), EPS);
    }

    @Test
    void attentionRolloutAndHeadDiversity() {
        int n = 5; // class token + 2x2 patches
        double[][] uniform = new double[n][n];
        double[][] self = new double[n][n];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(uniform[i], 1.0 / n);
            self[i][i] = 1;
        }
        double[] flat = AttentionRollout.rollout(new double[][][][] {{uniform, uniform}, {uniform, uniform}});
        for (double v : flat) {
            assertEquals(1.0, v, EPS);
        }
        double[] none = AttentionRollout.rollout(new double[][][][] {{self}});
        for (double v : none) {
            assertEquals(0.0, v, EPS);
        }
        assertEquals(0.0, AttentionRollout.headDiversity(new double[][][] {uniform, uniform}), EPS);
        double[][] left = new double[n][n];
        double[][] right = new double[n][n];
        left[0][1] = 1;
        right[0][4] = 1;
        assertEquals(1.0, AttentionRollout.headDiversity(new double[][][] {left, right}), 1e-9);
        double[] map = AttentionRollout.layerMap(new double[][][] {left, right});
        assertEquals(1.0, map[0], EPS);
        assertEquals(0.0, map[1], EPS);
    }
}
