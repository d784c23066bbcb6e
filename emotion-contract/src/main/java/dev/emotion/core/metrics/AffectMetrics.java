package dev.emotion.core.metrics;

import dev.emotion.core.contract.Emotion;
import dev.emotion.core.contract.EmotionLabels;
import dev.emotion.core.contract.AffectOutputs;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Metrics of the {@code affect} multi-task model, each head on the frames that have its target: the dominant emotion
 * (accuracy, macro-F1, balanced accuracy over the frames with a dominant label), the expressions (mean MAE, Pearson r,
 * CCC as {@code expressions_*}, and per expression {@code mae:Smile} ...), valence (on -1..1), engagement and
 * attention ({@code valence_mae}, {@code valence_pearson}, {@code valence_ccc}, ...). A head whose target fewer than
 * {@link ExpressionMetrics#MIN_FRAMES} frames have is left out.
 */
public final class AffectMetrics {

    private static final List<String> DIMENSIONS = List.of("valence", "engagement", "attention");

    private AffectMetrics() {
    }

    /** Targets per frame: dominant class index (-1: none), expressions in AFFDEX order and the dimensions (NaN: none). */
    public record Targets(int[] dominant, double[][] expressions, double[][] dimensions) {

        /** The targets of rows {@code idx}. */
        public Targets pick(int[] idx) {
            int[] d = new int[idx.length];
            double[][] e = new double[idx.length][];
            double[][] v = new double[idx.length][];
            for (int i = 0; i < idx.length; i++) {
                d[i] = dominant[idx[i]];
                e[i] = expressions[idx[i]];
                v[i] = dimensions[idx[i]];
            }
            return new Targets(d, e, v);
        }
    }

    /** {@code outputs}: n x {@link Affect#OUTPUTS} as {@link Probabilities#of} gives them for {@code affect}. */
    public static Map<String, Double> of(double[][] outputs, Targets t) {
        Map<String, Double> m = new LinkedHashMap<>();
        int[] labelled = java.util.stream.IntStream.range(0, t.dominant().length).filter(i -> t.dominant()[i] >= 0)
                .toArray();
        if (labelled.length > 0) {
            int[] truth = new int[labelled.length];
            double[][] p = new double[labelled.length][];
            for (int i = 0; i < labelled.length; i++) {
                truth[i] = t.dominant()[labelled[i]];
                p[i] = java.util.Arrays.copyOfRange(outputs[labelled[i]], AffectOutputs.CLASSES, AffectOutputs.EXPRESSIONS);
            }
            Map<String, Double> cls = ClassificationMetrics.of(truth, p, Emotion.DOMINANT_LABELS).headline();
            for (String k : List.of("accuracy", "macro_f1", "weighted_f1", "balanced_accuracy", "auc_macro")) {
                if (cls.containsKey(k)) {
                    m.put(k, cls.get(k));
                }
            }
        }
        double[][] expr = Probabilities.columns(outputs, AffectOutputs.EXPRESSIONS, AffectOutputs.VALENCE);
        if (annotated(t.expressions())) {
            ExpressionMetrics.of(expr, t.expressions(), EmotionLabels.AFFDEX_EXPRESSIONS).headline().forEach((k, v) -> {
                if (k.contains(":")) {
                    m.put(k, v);
                } else if (!k.equals("rmse")) {
                    m.put("expressions_" + k, v);
                }
            });
        }
        double[][] dims = Probabilities.columns(outputs, AffectOutputs.VALENCE, AffectOutputs.OUTPUTS);
        if (annotated(t.dimensions())) {
            ExpressionMetrics.of(dims, t.dimensions(), DIMENSIONS).perExpression().forEach((name, r) -> {
                m.put(name + "_mae", r.mae());
                m.put(name + "_pearson", r.pearson());
                m.put(name + "_ccc", r.ccc());
            });
        }
        return m;
    }

    /** Whether some column has at least {@link ExpressionMetrics#MIN_FRAMES} values. */
    private static boolean annotated(double[][] targets) {
        if (targets.length == 0) {
            return false;
        }
        for (int k = 0; k < targets[0].length; k++) {
            int n = 0;
            for (double[] row : targets) {
                n += Double.isNaN(row[k]) ? 0 : 1;
            }
            if (n >= ExpressionMetrics.MIN_FRAMES) {
                return true;
            }
        }
        return false;
    }
}
