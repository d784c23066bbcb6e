package dev.emotion.core.metrics;

import java.util.Arrays;
import java.util.Comparator;

/** Ranks with ties averaged (the ranks the Mann-Whitney U statistic and Spearman's rho are defined on). */
final class Ranking {

    private Ranking() {
    }

    /** 1-based ranks of {@code values}; tied values share the mean of the ranks they span. */
    static double[] averageRanks(double[] values) {
        int n = values.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
        double[] ranks = new double[n];
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && values[order[j + 1]] == values[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                ranks[order[k]] = rank;
            }
            i = j + 1;
        }
        return ranks;
    }
}
