package dev.emotion.core.evaluation;

/** From head outputs (logits) to probabilities: softmax over classes (with a temperature), sigmoid per output. */
public final class Probabilities {

    private Probabilities() {
    }

    /** {@code n} rows of a row-major n x k array. */
    public static double[][] rows(float[] values, int n) {
        int k = n == 0 ? 0 : values.length / n;
        double[][] out = new double[n][k];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                out[i][j] = values[i * k + j];
            }
        }
        return out;
    }

    /** Row-wise softmax of {@code logits / temperature}, numerically stable. */
    public static double[][] softmax(double[][] logits, double temperature) {
        double[][] out = new double[logits.length][];
        for (int i = 0; i < logits.length; i++) {
            double[] row = logits[i];
            double max = Double.NEGATIVE_INFINITY;
            for (double v : row) {
                max = Math.max(max, v / temperature);
            }
            double sum = 0;
            double[] p = new double[row.length];
            for (int j = 0; j < row.length; j++) {
                p[j] = Math.exp(row[j] / temperature - max);
                sum += p[j];
            }
            for (int j = 0; j < row.length; j++) {
                p[j] /= sum;
            }
            out[i] = p;
        }
        return out;
    }

    public static double[][] sigmoid(double[][] logits) {
        double[][] out = new double[logits.length][];
        for (int i = 0; i < logits.length; i++) {
            out[i] = new double[logits[i].length];
            for (int j = 0; j < logits[i].length; j++) {
                out[i][j] = 1 / (1 + Math.exp(-logits[i][j]));
            }
        }
        return out;
    }
}
