package dev.emotion.core.training;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The validation metrics reported every epoch, per task, and the one early stopping watches ({@code score}, higher
 * is better): macro-F1 for the dominant emotion, micro-F1 for multilabel, minus MAE for attention regression.
 */
public final class TaskMetrics {

    private TaskMetrics() {
    }

    /** @param predicted and {@code truth}: class indices in [0, classes) */
    public static Map<String, Double> classification(int[] predicted, int[] truth, int classes) {
        long[] tp = new long[classes];
        long[] fp = new long[classes];
        long[] fn = new long[classes];
        long correct = 0;
        for (int i = 0; i < truth.length; i++) {
            if (predicted[i] == truth[i]) {
                correct++;
                tp[truth[i]]++;
            } else {
                fp[predicted[i]]++;
                fn[truth[i]]++;
            }
        }
        double f1Sum = 0;
        double recallSum = 0;
        int present = 0;
        for (int c = 0; c < classes; c++) {
            if (tp[c] + fn[c] == 0) {
                continue; // macro averages over classes that occur in the split
            }
            present++;
            double precision = tp[c] + fp[c] == 0 ? 0 : (double) tp[c] / (tp[c] + fp[c]);
            double recall = (double) tp[c] / (tp[c] + fn[c]);
            f1Sum += precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            recallSum += recall;
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("accuracy", truth.length == 0 ? 0 : (double) correct / truth.length);
        m.put("macro_f1", present == 0 ? 0 : f1Sum / present);
        m.put("balanced_accuracy", present == 0 ? 0 : recallSum / present);
        m.put("score", m.get("macro_f1"));
        return m;
    }

    /** @param predicted and {@code truth}: n x labels booleans, row-major */
    public static Map<String, Double> multilabel(boolean[] predicted, boolean[] truth, int labels) {
        long tp = 0;
        long fp = 0;
        long fn = 0;
        long wrong = 0;
        double f1Sum = 0;
        int present = 0;
        for (int l = 0; l < labels; l++) {
            long ltp = 0;
            long lfp = 0;
            long lfn = 0;
            for (int i = l; i < truth.length; i += labels) {
                if (predicted[i] && truth[i]) {
                    ltp++;
                } else if (predicted[i]) {
                    lfp++;
                } else if (truth[i]) {
                    lfn++;
                }
            }
            tp += ltp;
            fp += lfp;
            fn += lfn;
            wrong += lfp + lfn;
            if (ltp + lfn > 0) {
                present++;
                f1Sum += 2.0 * ltp / (2.0 * ltp + lfp + lfn);
            }
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("micro_f1", tp + fp + fn == 0 ? 1 : 2.0 * tp / (2.0 * tp + fp + fn));
        m.put("macro_f1", present == 0 ? 0 : f1Sum / present);
        m.put("hamming_loss", truth.length == 0 ? 0 : (double) wrong / truth.length);
        m.put("score", m.get("micro_f1"));
        return m;
    }

    public static Map<String, Double> regression(float[] predicted, float[] truth) {
        double abs = 0;
        double sq = 0;
        double mp = 0;
        double mt = 0;
        int n = truth.length;
        for (int i = 0; i < n; i++) {
            double d = predicted[i] - truth[i];
            abs += Math.abs(d);
            sq += d * d;
            mp += predicted[i];
            mt += truth[i];
        }
        mp /= Math.max(1, n);
        mt /= Math.max(1, n);
        double cov = 0;
        double vp = 0;
        double vt = 0;
        for (int i = 0; i < n; i++) {
            cov += (predicted[i] - mp) * (truth[i] - mt);
            vp += (predicted[i] - mp) * (predicted[i] - mp);
            vt += (truth[i] - mt) * (truth[i] - mt);
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("mae", n == 0 ? 0 : abs / n);
        m.put("rmse", n == 0 ? 0 : Math.sqrt(sq / n));
        m.put("pearson", vp == 0 || vt == 0 ? 0 : cov / Math.sqrt(vp * vt));
        m.put("score", -m.get("mae"));
        return m;
    }
}
