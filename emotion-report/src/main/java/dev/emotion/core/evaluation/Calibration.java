package dev.emotion.core.evaluation;

import dev.emotion.core.metrics.ClassificationMetrics;
import dev.emotion.core.metrics.Probabilities;

import java.util.ArrayList;
import java.util.List;

/**
 * Calibration of a classifier's confidence (its top probability): expected calibration error over equal-width
 * bins, the reliability diagram's bins, and temperature scaling (one scalar T dividing the logits, fitted by
 * minimising the negative log-likelihood on the validation split).
 */
public final class Calibration {

    public static final int BINS = 15;

    /** One reliability bin: (lower, upper] confidence range, mean confidence, accuracy, count. */
    public record Bin(double lower, double upper, double confidence, double accuracy, long count) {
    }

    public record Result(double ece, List<Bin> bins) {
    }

    private Calibration() {
    }

    /** ECE = sum over bins of |accuracy - confidence| weighted by the bin's share of samples. */
    public static Result of(int[] truth, double[][] probs, int bins) {
        int n = truth.length;
        double[] confSum = new double[bins];
        long[] correct = new long[bins];
        long[] count = new long[bins];
        for (int i = 0; i < n; i++) {
            int pred = ClassificationMetrics.argMax(probs[i]);
            double conf = probs[i][pred];
            int b = Math.min(bins - 1, Math.max(0, (int) Math.ceil(conf * bins) - 1));
            confSum[b] += conf;
            correct[b] += pred == truth[i] ? 1 : 0;
            count[b]++;
        }
        double ece = 0;
        List<Bin> out = new ArrayList<>();
        for (int b = 0; b < bins; b++) {
            double conf = count[b] == 0 ? 0 : confSum[b] / count[b];
            double acc = count[b] == 0 ? 0 : (double) correct[b] / count[b];
            ece += n == 0 ? 0 : Math.abs(acc - conf) * count[b] / n;
            out.add(new Bin((double) b / bins, (double) (b + 1) / bins, conf, acc, count[b]));
        }
        return new Result(ece, out);
    }

    static double nll(int[] truth, double[][] logits, double temperature) {
        double[][] p = Probabilities.softmax(logits, temperature);
        double s = 0;
        for (int i = 0; i < truth.length; i++) {
            s -= Math.log(Math.max(ClassificationMetrics.EPS, p[i][truth[i]]));
        }
        return s / truth.length;
    }

    /**
     * The temperature in [0.05, 20] minimising validation NLL: golden-section search on log T (the NLL is convex in
     * 1/T, so unimodal in log T).
     */
    public static double fitTemperature(int[] truth, double[][] logits) {
        if (truth.length == 0) {
            throw new IllegalArgumentException("no validation samples to fit a temperature on");
        }
        double lo = Math.log(0.05);
        double hi = Math.log(20);
        double g = (Math.sqrt(5) - 1) / 2;
        double a = hi - g * (hi - lo);
        double b = lo + g * (hi - lo);
        double fa = nll(truth, logits, Math.exp(a));
        double fb = nll(truth, logits, Math.exp(b));
        for (int it = 0; it < 80; it++) {
            if (fa < fb) {
                hi = b;
                b = a;
                fb = fa;
                a = hi - g * (hi - lo);
                fa = nll(truth, logits, Math.exp(a));
            } else {
                lo = a;
                a = b;
                fa = fb;
                b = lo + g * (hi - lo);
                fb = nll(truth, logits, Math.exp(b));
            }
        }
        return Math.exp((lo + hi) / 2);
    }
}
