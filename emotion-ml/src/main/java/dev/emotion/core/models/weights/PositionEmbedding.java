package dev.emotion.core.models.weights;

/**
 * Resizes a ViT position embedding (1, 1 + g*g, dim) to another grid, as torchvision's
 * {@code interpolate_embeddings}: the class-token row is kept, the g x g grid is resized per channel with bicubic
 * interpolation (Keys' cubic convolution, a = -0.75, align_corners=True, border indices clamped).
 */
public final class PositionEmbedding {

    private static final double A = -0.75;

    private PositionEmbedding() {
    }

    public static Tensor resize(Tensor pos, int targetTokens) {
        long[] s = pos.shape();
        int dim = (int) s[2];
        int from = side((int) s[1] - 1, pos.name());
        int to = side(targetTokens - 1, pos.name() + " (target)");
        float[] in = pos.data();
        float[] out = new float[targetTokens * dim];
        System.arraycopy(in, 0, out, 0, dim);
        double[][] wy = new double[to][];
        int[][] iy = new int[to][];
        weights(from, to, wy, iy);
        for (int c = 0; c < dim; c++) {
            for (int oy = 0; oy < to; oy++) {
                for (int ox = 0; ox < to; ox++) {
                    double v = 0;
                    for (int a = 0; a < 4; a++) {
                        double row = 0;
                        for (int b = 0; b < 4; b++) {
                            row += wy[ox][b] * in[(1 + iy[oy][a] * from + iy[ox][b]) * dim + c];
                        }
                        v += wy[oy][a] * row;
                    }
                    out[(1 + oy * to + ox) * dim + c] = (float) v;
                }
            }
        }
        return new Tensor(pos.name(), new long[] {1, targetTokens, dim}, out);
    }

    private static int side(int tokens, String name) {
        int g = (int) Math.round(Math.sqrt(tokens));
        if (g * g != tokens) {
            throw new WeightImportException(name + ": " + tokens + " position tokens (+1 class token) do not form a"
                    + " square grid; cannot resize");
        }
        return g;
    }

    private static void weights(int in, int out, double[][] w, int[][] idx) {
        double scale = out > 1 ? (double) (in - 1) / (out - 1) : 0;
        for (int o = 0; o < out; o++) {
            double real = o * scale;
            int x0 = (int) Math.floor(real);
            double t = real - x0;
            w[o] = new double[] {far(t + 1), near(t), near(1 - t), far(2 - t)};
            idx[o] = new int[4];
            for (int k = 0; k < 4; k++) {
                idx[o][k] = Math.min(Math.max(x0 - 1 + k, 0), in - 1);
            }
        }
    }

    private static double near(double x) {
        return ((A + 2) * x - (A + 3)) * x * x + 1;
    }

    private static double far(double x) {
        return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
    }
}
