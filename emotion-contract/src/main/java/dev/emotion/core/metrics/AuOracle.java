package dev.emotion.core.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The ceiling of what a study's labels allow: a multinomial logistic regression from the annotated facial
 * expressions (AFFDEX action units, the CSV's own columns) to the dominant emotion. A model reading pixels cannot
 * be expected to beat a model handed the true expression intensities, so this is shown beside the models as
 * their ceiling (and the zero-training baseline as their floor). Written here because it is 60 lines of plain
 * gradient descent on a few thousand rows: no ML library is needed for it.
 */
public final class AuOracle {

    /** One labelled frame: whose it is, its expression intensities, its dominant class index. */
    public record Example(String participant, double[] features, int label) {
    }

    /** Metrics of one held-out group of participants. */
    public record Fold(List<String> heldOut, int samples, double macroF1, double balancedAccuracy, double accuracy) {
    }

    /** Grouped cross-validation: per fold and mean +- sd (n-1) of macro-F1, balanced accuracy, accuracy. */
    public record CrossValidated(List<Fold> folds, double macroF1Mean, double macroF1Sd, double balancedAccuracyMean,
                                 double balancedAccuracySd, double accuracyMean, double accuracySd) {
    }

    static final int ITERATIONS = 300;
    static final double STEP = 0.5;
    static final double L2 = 1e-4;

    private AuOracle() {
    }

    /** Fits on {@code train} and returns class probabilities for {@code test}. */
    public static double[][] fitPredict(List<Example> train, List<Example> test, int classes) {
        if (train.isEmpty()) {
            throw new IllegalArgumentException("the AU oracle needs labelled training frames with expressions");
        }
        int d = train.get(0).features().length;
        double[] mean = new double[d];
        double[] sd = new double[d];
        for (Example e : train) {
            for (int j = 0; j < d; j++) {
                mean[j] += e.features()[j] / train.size();
            }
        }
        for (Example e : train) {
            for (int j = 0; j < d; j++) {
                double u = e.features()[j] - mean[j];
                sd[j] += u * u / train.size();
            }
        }
        for (int j = 0; j < d; j++) {
            sd[j] = Math.sqrt(sd[j]) + 1e-6;
        }
        double[][] x = standardise(train, mean, sd);
        double[][] w = new double[classes][d + 1];
        double[][] grad = new double[classes][d + 1];
        double[] p = new double[classes];
        for (int it = 0; it < ITERATIONS; it++) {
            for (double[] g : grad) {
                java.util.Arrays.fill(g, 0);
            }
            for (int i = 0; i < x.length; i++) {
                softmax(w, x[i], p);
                int y = train.get(i).label();
                for (int k = 0; k < classes; k++) {
                    double r = p[k] - (k == y ? 1 : 0);
                    for (int j = 0; j <= d; j++) {
                        grad[k][j] += r * x[i][j];
                    }
                }
            }
            for (int k = 0; k < classes; k++) {
                for (int j = 0; j <= d; j++) {
                    w[k][j] -= STEP * (grad[k][j] / x.length + (j < d ? L2 * w[k][j] : 0));
                }
            }
        }
        double[][] tx = standardise(test, mean, sd);
        double[][] out = new double[tx.length][classes];
        for (int i = 0; i < tx.length; i++) {
            softmax(w, tx[i], out[i]);
        }
        return out;
    }

    /** Metrics on {@code test} of the oracle fitted on {@code train}. */
    public static ClassificationMetrics evaluate(List<Example> train, List<Example> test, List<String> labels) {
        double[][] probs = fitPredict(train, test, labels.size());
        return ClassificationMetrics.of(test.stream().mapToInt(Example::label).toArray(), probs, labels);
    }

    /**
     * Participant-grouped K-fold cross-validation: participants shuffled with the seed and dealt round-robin into
     * {@code k} folds ({@code k} >= participants is leave-one-participant-out).
     */
    public static CrossValidated crossValidate(List<Example> all, List<String> labels, int k, long seed) {
        Set<String> people = new TreeSet<>(all.stream().map(Example::participant).toList());
        if (people.size() < 2) {
            throw new IllegalArgumentException("cross-validation needs at least 2 participants; got " + people);
        }
        return crossValidate(all, labels, dev.emotion.core.contract.ParticipantSplits.groupedFolds(people, k, seed));
    }

    /** Cross-validation over given participant groups (e.g. the folds a model was cross-validated on). */
    public static CrossValidated crossValidate(List<Example> all, List<String> labels, List<List<String>> groups) {
        List<Fold> out = new ArrayList<>();
        for (List<String> held : groups) {
            List<Example> train = all.stream().filter(e -> !held.contains(e.participant())).toList();
            List<Example> test = all.stream().filter(e -> held.contains(e.participant())).toList();
            if (test.isEmpty() || train.isEmpty()) {
                continue;
            }
            ClassificationMetrics m = evaluate(train, test, labels);
            out.add(new Fold(List.copyOf(held), test.size(), m.macroF1(), m.balancedAccuracy(), m.accuracy()));
        }
        return summarise(out);
    }

    private static CrossValidated summarise(List<Fold> out) {
        double[] f1 = out.stream().mapToDouble(Fold::macroF1).toArray();
        double[] bal = out.stream().mapToDouble(Fold::balancedAccuracy).toArray();
        double[] acc = out.stream().mapToDouble(Fold::accuracy).toArray();
        return new CrossValidated(out, mean(f1), sd(f1), mean(bal), sd(bal), mean(acc), sd(acc));
    }

    private static double[][] standardise(List<Example> rows, double[] mean, double[] sd) {
        int d = mean.length;
        double[][] x = new double[rows.size()][d + 1];
        for (int i = 0; i < rows.size(); i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = (rows.get(i).features()[j] - mean[j]) / sd[j];
            }
            x[i][d] = 1; // bias
        }
        return x;
    }

    private static void softmax(double[][] w, double[] x, double[] p) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < w.length; k++) {
            double z = 0;
            for (int j = 0; j < x.length; j++) {
                z += w[k][j] * x[j];
            }
            p[k] = z;
            max = Math.max(max, z);
        }
        double sum = 0;
        for (int k = 0; k < w.length; k++) {
            p[k] = Math.exp(p[k] - max);
            sum += p[k];
        }
        for (int k = 0; k < w.length; k++) {
            p[k] /= sum;
        }
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return v.length == 0 ? Double.NaN : s / v.length;
    }

    static double sd(double[] v) {
        if (v.length < 2) {
            return Double.NaN;
        }
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }
}
