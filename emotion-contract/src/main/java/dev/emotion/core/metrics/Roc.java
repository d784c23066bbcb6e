package dev.emotion.core.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** Area under the ROC curve and the curve itself, for one binary problem (scores, higher = more positive). */
public final class Roc {

    /** One ROC point. */
    public record Point(double falsePositiveRate, double truePositiveRate) {
    }

    private Roc() {
    }

    /**
     * AUC as the probability that a random positive scores above a random negative (ties count one half), computed
     * from average ranks: {@code (R+ - n+(n+ + 1)/2) / (n+ n-)}. NaN when either class is absent: the AUC is
     * undefined there, and callers leave such a class out of averages and say so.
     */
    public static double auc(double[] scores, boolean[] positive) {
        long pos = 0;
        for (boolean p : positive) {
            pos += p ? 1 : 0;
        }
        long neg = positive.length - pos;
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        double[] ranks = Ranking.averageRanks(scores);
        double rankSum = 0;
        for (int i = 0; i < scores.length; i++) {
            if (positive[i]) {
                rankSum += ranks[i];
            }
        }
        return (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    /** The curve from (0,0) to (1,1), one point per distinct threshold. Empty when either class is absent. */
    public static List<Point> curve(double[] scores, boolean[] positive) {
        int n = scores.length;
        long pos = 0;
        for (boolean p : positive) {
            pos += p ? 1 : 0;
        }
        long neg = n - pos;
        if (pos == 0 || neg == 0) {
            return List.of();
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
        List<Point> points = new ArrayList<>();
        points.add(new Point(0, 0));
        long tp = 0;
        long fp = 0;
        for (int k = 0; k < n; k++) {
            if (positive[order[k]]) {
                tp++;
            } else {
                fp++;
            }
            if (k == n - 1 || scores[order[k + 1]] != scores[order[k]]) {
                points.add(new Point((double) fp / neg, (double) tp / pos));
            }
        }
        return points;
    }
}
