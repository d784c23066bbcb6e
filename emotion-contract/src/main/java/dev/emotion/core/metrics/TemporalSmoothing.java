package dev.emotion.core.metrics;

/** Exponential moving average of per-frame probabilities, the smoothing timelines and live scoring use. */
public final class TemporalSmoothing {

    private TemporalSmoothing() {
    }

    /** {@code alpha * current + (1 - alpha) * previous}; the first frame passes through. */
    public static double[] ema(double[] previous, double[] current, double alpha) {
        if (previous == null) {
            return current.clone();
        }
        double[] out = new double[current.length];
        for (int i = 0; i < current.length; i++) {
            out[i] = alpha * current[i] + (1 - alpha) * previous[i];
        }
        return out;
    }
}
