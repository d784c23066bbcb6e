package dev.emotion.core.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Regression metrics for the attention score: MAE, RMSE, Pearson's r, Spearman's rho (Pearson on average ranks) and
 * Lin's concordance correlation coefficient (population variances). Correlations are NaN when either side is
 * constant.
 */
public record RegressionMetrics(int samples, double mae, double rmse, double pearson, double spearman, double ccc) {

    public static RegressionMetrics of(double[] predicted, double[] truth) {
        int n = truth.length;
        if (n == 0) {
            throw new IllegalArgumentException("no samples to compute metrics on (the split is empty)");
        }
        double abs = 0;
        double sq = 0;
        for (int i = 0; i < n; i++) {
            double d = predicted[i] - truth[i];
            abs += Math.abs(d);
            sq += d * d;
        }
        double mp = mean(predicted);
        double mt = mean(truth);
        double cov = 0;
        double vp = 0;
        double vt = 0;
        for (int i = 0; i < n; i++) {
            cov += (predicted[i] - mp) * (truth[i] - mt);
            vp += (predicted[i] - mp) * (predicted[i] - mp);
            vt += (truth[i] - mt) * (truth[i] - mt);
        }
        double ccc = 2 * cov / n / (vp / n + vt / n + (mp - mt) * (mp - mt));
        return new RegressionMetrics(n, abs / n, Math.sqrt(sq / n), pearson(predicted, truth),
                pearson(Ranking.averageRanks(predicted), Ranking.averageRanks(truth)), ccc);
    }

    public static double pearson(double[] a, double[] b) {
        double ma = mean(a);
        double mb = mean(b);
        double cov = 0;
        double va = 0;
        double vb = 0;
        for (int i = 0; i < a.length; i++) {
            cov += (a[i] - ma) * (b[i] - mb);
            va += (a[i] - ma) * (a[i] - ma);
            vb += (b[i] - mb) * (b[i] - mb);
        }
        return va == 0 || vb == 0 ? Double.NaN : cov / Math.sqrt(va * vb);
    }

    private static double mean(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v;
        }
        return s / a.length;
    }

    public Map<String, Double> headline() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("mae", mae);
        m.put("rmse", rmse);
        putDefined(m, "pearson", pearson);
        putDefined(m, "spearman", spearman);
        putDefined(m, "ccc", ccc);
        return m;
    }

    private static void putDefined(Map<String, Double> m, String name, double v) {
        if (!Double.isNaN(v)) {
            m.put(name, v);
        }
    }
}
