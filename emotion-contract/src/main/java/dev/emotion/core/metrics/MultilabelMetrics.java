package dev.emotion.core.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Multilabel metrics: a label is predicted when its probability is at least 0.5. */
public record MultilabelMetrics(int samples, double microF1, double macroF1, double hammingLoss, double aucMacro,
                                List<PerLabel> perLabel) {

    public record PerLabel(String label, double precision, double recall, double f1, long support, double auc) {
    }

    public static MultilabelMetrics of(boolean[][] truth, double[][] probs, List<String> labels) {
        int n = truth.length;
        if (n == 0) {
            throw new IllegalArgumentException("no samples to compute metrics on (the split is empty)");
        }
        int k = labels.size();
        long tp = 0;
        long fp = 0;
        long fn = 0;
        long wrong = 0;
        double f1Sum = 0;
        int present = 0;
        double aucSum = 0;
        int aucCount = 0;
        List<PerLabel> per = new ArrayList<>();
        for (int l = 0; l < k; l++) {
            long ltp = 0;
            long lfp = 0;
            long lfn = 0;
            double[] scores = new double[n];
            boolean[] positive = new boolean[n];
            for (int i = 0; i < n; i++) {
                boolean p = probs[i][l] >= 0.5;
                boolean t = truth[i][l];
                ltp += p && t ? 1 : 0;
                lfp += p && !t ? 1 : 0;
                lfn += !p && t ? 1 : 0;
                scores[i] = probs[i][l];
                positive[i] = t;
            }
            tp += ltp;
            fp += lfp;
            fn += lfn;
            wrong += lfp + lfn;
            double precision = ltp + lfp == 0 ? 0 : (double) ltp / (ltp + lfp);
            double recall = ltp + lfn == 0 ? 0 : (double) ltp / (ltp + lfn);
            double f1 = ltp + lfp + lfn == 0 ? 0 : 2.0 * ltp / (2.0 * ltp + lfp + lfn);
            double auc = Roc.auc(scores, positive);
            per.add(new PerLabel(labels.get(l), precision, recall, f1, ltp + lfn, auc));
            if (ltp + lfn > 0) {
                present++;
                f1Sum += f1;
            }
            if (!Double.isNaN(auc)) {
                aucSum += auc;
                aucCount++;
            }
        }
        double micro = tp + fp + fn == 0 ? 1 : 2.0 * tp / (2.0 * tp + fp + fn);
        return new MultilabelMetrics(n, micro, present == 0 ? 0 : f1Sum / present, (double) wrong / ((long) n * k),
                aucCount == 0 ? Double.NaN : aucSum / aucCount, per);
    }

    public Map<String, Double> headline() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("micro_f1", microF1);
        m.put("macro_f1", macroF1);
        m.put("hamming_loss", hammingLoss);
        if (!Double.isNaN(aucMacro)) {
            m.put("auc_macro", aucMacro);
        }
        return m;
    }
}
