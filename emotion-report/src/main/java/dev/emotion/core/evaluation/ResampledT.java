package dev.emotion.core.evaluation;

import java.util.Arrays;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Intervals over cross-validation folds (and seeds) that hold: the corrected resampled t of Nadeau and Bengio
 * (2003, "Inference for the Generalization Error"). Fold scores share most of their training data, so their
 * variance understates the variance of the estimate; the correction inflates it from {@code 1/J} to
 * {@code 1/J + n_test/n_train} ({@code J} scores; for K-fold cross-validation {@code n_test/n_train = 1/(K-1)}).
 */
public final class ResampledT {

    /** Mean, sample standard deviation, and the corrected 95 % interval, over {@code n} scores. */
    public record Summary(double mean, double sd, double low, double high, int n) {
    }

    private ResampledT() {
    }

    /**
     * @param scores         one score per (seed, fold), or per-fold paired differences between two models
     * @param testTrainRatio the held-out share over the training share of one fold ({@code 1/(K-1)} for K folds)
     */
    public static Summary corrected(double[] scores, double testTrainRatio) {
        int n = scores.length;
        double mean = Arrays.stream(scores).average().orElse(Double.NaN);
        if (n < 2) {
            return new Summary(mean, Double.NaN, Double.NaN, Double.NaN, n);
        }
        double sd = Math.sqrt(Arrays.stream(scores).map(x -> (x - mean) * (x - mean)).sum() / (n - 1));
        double half = new TDistribution(n - 1).inverseCumulativeProbability(0.975)
                * Math.sqrt((1.0 / n + testTrainRatio) * sd * sd);
        return new Summary(mean, sd, mean - half, mean + half, n);
    }

    /** The plain t interval ({@code testTrainRatio} 0: scores treated as independent), for comparison. */
    public static Summary naive(double[] scores) {
        return corrected(scores, 0);
    }
}
