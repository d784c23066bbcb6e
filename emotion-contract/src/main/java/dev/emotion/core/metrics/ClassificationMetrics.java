package dev.emotion.core.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Single-label classification metrics from predicted probabilities: the predicted class is the arg-max. Macro-F1
 * averages over the classes in the truth or the predictions (scikit-learn's default labels: predicting a class
 * nobody shows costs an F1 of 0); balanced accuracy over the classes in the truth (a class never annotated has no
 * recall); a class present but never predicted has precision 0 (scikit-learn's zero_division=0). AUC is one-vs-rest, averaged over the classes
 * whose AUC is defined (present and not the only class).
 */
public record ClassificationMetrics(int samples, List<String> labels, double accuracy, double macroF1,
                                    double weightedF1, double balancedAccuracy, double aucMacro, double logLoss,
                                    List<PerClass> perClass, long[][] confusion, double[][] confusionNormalized,
                                    List<String> notes) {

    /** Precision, recall, F1, support and one-vs-rest AUC (NaN when undefined) of one class. */
    public record PerClass(String label, double precision, double recall, double f1, long support, double auc) {
    }

    /** log-loss clips probabilities to [eps, 1 - eps], as scikit-learn does. */
    public static final double EPS = 1e-15;

    /**
     * @param truth  class index per sample
     * @param probs  probabilities per sample (rows sum to 1)
     * @param labels class names, one per column
     */
    public static ClassificationMetrics of(int[] truth, double[][] probs, List<String> labels) {
        int n = truth.length;
        int k = labels.size();
        if (n == 0) {
            throw new IllegalArgumentException("no samples to compute metrics on (the split is empty)");
        }
        long[][] confusion = new long[k][k];
        double logLoss = 0;
        long correct = 0;
        for (int i = 0; i < n; i++) {
            int pred = argMax(probs[i]);
            confusion[truth[i]][pred]++;
            correct += pred == truth[i] ? 1 : 0;
            logLoss -= Math.log(Math.min(1 - EPS, Math.max(EPS, probs[i][truth[i]])));
        }
        List<PerClass> perClass = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        double f1Sum = 0;
        double weighted = 0;
        double recallSum = 0;
        double aucSum = 0;
        int present = 0;
        int shown = 0;
        int aucCount = 0;
        for (int c = 0; c < k; c++) {
            long tp = confusion[c][c];
            long support = 0;
            long predicted = 0;
            for (int j = 0; j < k; j++) {
                support += confusion[c][j];
                predicted += confusion[j][c];
            }
            double precision = predicted == 0 ? 0 : (double) tp / predicted;
            double recall = support == 0 ? 0 : (double) tp / support;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            double[] scores = new double[n];
            boolean[] positive = new boolean[n];
            for (int i = 0; i < n; i++) {
                scores[i] = probs[i][c];
                positive[i] = truth[i] == c;
            }
            double auc = Roc.auc(scores, positive);
            perClass.add(new PerClass(labels.get(c), precision, recall, f1, support, auc));
            if (support > 0 || predicted > 0) { // macro-F1 over the labels in the truth or the predictions
                present++;
                f1Sum += f1;
            }
            if (support > 0) {
                shown++;
                recallSum += recall;
                weighted += f1 * support;
                if (predicted == 0) {
                    notes.add("'" + labels.get(c) + "' occurs " + support + " times but is never predicted");
                }
            }
            if (!Double.isNaN(auc)) {
                aucSum += auc;
                aucCount++;
            }
        }
        if (shown == 1) {
            notes.add("the split holds a single class: AUC is undefined and F1 says little");
        }
        double[][] normalized = new double[k][k];
        for (int c = 0; c < k; c++) {
            long row = 0;
            for (long v : confusion[c]) {
                row += v;
            }
            for (int j = 0; j < k; j++) {
                normalized[c][j] = row == 0 ? 0 : (double) confusion[c][j] / row;
            }
        }
        return new ClassificationMetrics(n, labels, (double) correct / n, f1Sum / present, weighted / n,
                recallSum / shown, aucCount == 0 ? Double.NaN : aucSum / aucCount, logLoss / n, perClass,
                confusion, normalized, notes);
    }

    /** Headline numbers, by the names reports and events use. */
    public Map<String, Double> headline() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("accuracy", accuracy);
        m.put("macro_f1", macroF1);
        m.put("weighted_f1", weightedF1);
        m.put("balanced_accuracy", balancedAccuracy);
        if (!Double.isNaN(aucMacro)) {
            m.put("auc_macro", aucMacro);
        }
        m.put("log_loss", logLoss);
        return m;
    }

    public static int argMax(double[] row) {
        int best = 0;
        for (int j = 1; j < row.length; j++) {
            if (row[j] > row[best]) {
                best = j;
            }
        }
        return best;
    }
}
