package dev.emotion.core.metrics;

import dev.emotion.core.contract.AffectOutputs;

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

    /**
     * What a task's outputs mean: softmax over the classes of {@code emotion_class}, sigmoid per output otherwise;
     * {@code affect}: softmax over its 8 class logits, tanh for valence (-1..1), sigmoid for the rest.
     */
    public static double[][] of(dev.emotion.core.contract.Task task, double[][] logits) {
        return switch (task) {
            case EMOTION_CLASS -> softmax(logits, 1);
            case AFFECT -> affect(logits);
            default -> sigmoid(logits);
        };
    }

    private static double[][] affect(double[][] logits) {
        int classes = dev.emotion.core.contract.AffectOutputs.EXPRESSIONS;
        int valence = dev.emotion.core.contract.AffectOutputs.VALENCE;
        double[][] out = sigmoid(logits);
        for (int i = 0; i < logits.length; i++) {
            double[] p = softmax(new double[][] {java.util.Arrays.copyOfRange(logits[i], 0, classes)}, 1)[0];
            System.arraycopy(p, 0, out[i], 0, classes);
            out[i][valence] = Math.tanh(logits[i][valence]);
        }
        return out;
    }

    /** Columns {@code from} (inclusive) to {@code to} (exclusive) of every row. */
    public static double[][] columns(double[][] rows, int from, int to) {
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = java.util.Arrays.copyOfRange(rows[i], from, to);
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
