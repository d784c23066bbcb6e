package dev.emotion.core.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Metrics of the {@code expression_regression} task: per AFFDEX expression (0..1), over the frames annotated with
 * it, MAE, Pearson's r and Lin's CCC; the headline averages them over the expressions that have at least
 * {@link #MIN_FRAMES} annotated frames (r and CCC only over those that vary, since a constant trace has none).
 */
public record ExpressionMetrics(Map<String, RegressionMetrics> perExpression) {

    public static final int MIN_FRAMES = 3;

    /**
     * @param predicted n x E predictions in {@code names} order
     * @param truth     n x E targets, NaN where a frame has no value for that expression
     */
    public static ExpressionMetrics of(double[][] predicted, double[][] truth, List<String> names) {
        Map<String, RegressionMetrics> per = new LinkedHashMap<>();
        for (int e = 0; e < names.size(); e++) {
            List<double[]> pairs = new ArrayList<>();
            for (int i = 0; i < truth.length; i++) {
                if (!Double.isNaN(truth[i][e])) {
                    pairs.add(new double[] {predicted[i][e], truth[i][e]});
                }
            }
            if (pairs.size() < MIN_FRAMES) {
                continue;
            }
            double[] p = pairs.stream().mapToDouble(x -> x[0]).toArray();
            double[] t = pairs.stream().mapToDouble(x -> x[1]).toArray();
            per.put(names.get(e), RegressionMetrics.of(p, t));
        }
        if (per.isEmpty()) {
            throw new IllegalArgumentException("no expression has " + MIN_FRAMES + " annotated frames: the study's "
                    + "label files have no AFFDEX facial-expression columns (Brow Furrow, Smile, ...)");
        }
        return new ExpressionMetrics(per);
    }

    /**
     * Mean MAE, RMSE, Pearson r and CCC over the expressions, and each expression's MAE, r and CCC as
     * {@code mae:Smile}, {@code pearson:Smile}, {@code ccc:Smile}.
     */
    public Map<String, Double> headline() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("mae", mean(perExpression.values().stream().mapToDouble(RegressionMetrics::mae).toArray()));
        m.put("rmse", mean(perExpression.values().stream().mapToDouble(RegressionMetrics::rmse).toArray()));
        m.put("pearson", mean(perExpression.values().stream().mapToDouble(RegressionMetrics::pearson).toArray()));
        m.put("ccc", mean(perExpression.values().stream().mapToDouble(RegressionMetrics::ccc).toArray()));
        m.put("expressions", (double) perExpression.size());
        perExpression.forEach((name, r) -> {
            m.put("mae:" + name, r.mae());
            m.put("pearson:" + name, r.pearson());
            m.put("ccc:" + name, r.ccc());
        });
        return m;
    }

    /** The mean of the finite values; NaN when there is none. */
    static double mean(double[] v) {
        double s = 0;
        int n = 0;
        for (double x : v) {
            if (Double.isFinite(x)) {
                s += x;
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }
}
