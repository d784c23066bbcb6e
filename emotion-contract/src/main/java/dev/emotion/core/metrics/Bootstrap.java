package dev.emotion.core.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Percentile bootstrap confidence intervals that respect who the frames came from: each replicate draws
 * participants with replacement, then frames with replacement within each drawn participant (frames of one person
 * are not independent; resampling frames alone gives intervals that are far too narrow). Deterministic per seed.
 */
public final class Bootstrap {

    public record Interval(double low, double high) {
    }

    private Bootstrap() {
    }

    /**
     * @param groups  participant id per sample
     * @param metrics computes named metrics over a resample, given as sample indices (may repeat)
     * @return per metric, the 2.5th and 97.5th percentiles over {@code replicates} resamples; metrics that are
     *         NaN in a replicate (e.g. AUC of a resample with one class) are skipped in that replicate
     */
    public static Map<String, Interval> intervals(List<String> groups, Function<int[], Map<String, Double>> metrics,
                                                  int replicates, long seed) {
        Resampler resample = new Resampler(groups, seed);
        Map<String, double[]> draws = new LinkedHashMap<>();
        Map<String, Integer> filled = new LinkedHashMap<>();
        for (int r = 0; r < replicates; r++) {
            Map<String, Double> values = metrics.apply(resample.next());
            for (var e : values.entrySet()) {
                if (e.getValue() == null || Double.isNaN(e.getValue())) {
                    continue;
                }
                double[] d = draws.computeIfAbsent(e.getKey(), k -> new double[replicates]);
                int at = filled.merge(e.getKey(), 1, Integer::sum) - 1;
                d[at] = e.getValue();
            }
        }
        Map<String, Interval> out = new LinkedHashMap<>();
        draws.forEach((name, d) -> {
            double[] v = Arrays.copyOf(d, filled.get(name));
            Arrays.sort(v);
            out.put(name, new Interval(percentile(v, 0.025), percentile(v, 0.975)));
        });
        return out;
    }

    /**
     * The statistic over {@code replicates} resamples drawn as {@link #intervals} draws them (participants, then frames
     * within each): for a paired difference, compute both models on the same indices.
     */
    public static double[] replicates(List<String> groups, java.util.function.ToDoubleFunction<int[]> statistic,
                                      int replicates, long seed) {
        Resampler resample = new Resampler(groups, seed);
        double[] out = new double[replicates];
        for (int r = 0; r < replicates; r++) {
            out[r] = statistic.applyAsDouble(resample.next());
        }
        return out;
    }

    /** Draws resamples: participants with replacement, then frames with replacement within each drawn one. */
    private static final class Resampler {
        private final List<List<Integer>> members;
        private final SplittableRandom random;

        Resampler(List<String> groups, long seed) {
            Map<String, List<Integer>> byGroup = new LinkedHashMap<>();
            for (int i = 0; i < groups.size(); i++) {
                byGroup.computeIfAbsent(groups.get(i), g -> new ArrayList<>()).add(i);
            }
            members = new ArrayList<>(byGroup.values());
            random = new SplittableRandom(seed);
        }

        int[] next() {
            List<Integer> idx = new ArrayList<>();
            for (int g = 0; g < members.size(); g++) {
                List<Integer> m = members.get(random.nextInt(members.size()));
                for (int f = 0; f < m.size(); f++) {
                    idx.add(m.get(random.nextInt(m.size())));
                }
            }
            return idx.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    /** Linear interpolation between order statistics (numpy's default). */
    public static double percentile(double[] sorted, double q) {
        if (sorted.length == 1) {
            return sorted[0];
        }
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
