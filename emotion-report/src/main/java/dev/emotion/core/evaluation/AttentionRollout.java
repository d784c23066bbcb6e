package dev.emotion.core.evaluation;

/**
 * Attention rollout (Abnar and Zuidema, 2020) for one image: per block, heads averaged, identity added for the
 * residual path, rows renormalised, then multiplied through the blocks; the class token's row over the patches is
 * the heat map. Also a head-diversity measure per block: the mean pairwise Jensen-Shannon distance between the heads'
 * class-token attention distributions (0 = every head looks at the same place; at most 1 with log base 2).
 */
public final class AttentionRollout {

    private AttentionRollout() {
    }

    /**
     * @param blocks per block, attention probabilities [heads][N][N] of one image, token 0 = class token
     * @return the rolled-out class-token attention over the N-1 patches, scaled to max 1
     */
    public static double[] rollout(double[][][][] blocks) {
        int n = blocks[0][0].length;
        double[][] joint = identity(n);
        for (double[][][] heads : blocks) {
            double[][] a = new double[n][n];
            for (double[][] h : heads) {
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        a[i][j] += h[i][j] / heads.length;
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                a[i][i] += 1;
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s += a[i][j];
                }
                for (int j = 0; j < n; j++) {
                    a[i][j] /= s;
                }
            }
            joint = multiply(a, joint);
        }
        return scaled(joint[0]);
    }

    /** One block's class-token attention over the patches, heads averaged, scaled to max 1. */
    public static double[] layerMap(double[][][] heads) {
        int n = heads[0].length;
        double[] row = new double[n];
        for (double[][] h : heads) {
            for (int j = 0; j < n; j++) {
                row[j] += h[0][j] / heads.length;
            }
        }
        return scaled(row);
    }

    /** Mean pairwise Jensen-Shannon distance (base 2) between heads' class-token distributions over patches. */
    public static double headDiversity(double[][][] heads) {
        int h = heads.length;
        if (h < 2) {
            return 0;
        }
        double sum = 0;
        int pairs = 0;
        for (int a = 0; a < h; a++) {
            for (int b = a + 1; b < h; b++) {
                sum += Math.sqrt(Math.max(0, jensenShannon(patches(heads[a][0]), patches(heads[b][0]))));
                pairs++;
            }
        }
        return sum / pairs;
    }

    static double jensenShannon(double[] p, double[] q) {
        double js = 0;
        for (int i = 0; i < p.length; i++) {
            double m = (p[i] + q[i]) / 2;
            if (p[i] > 0) {
                js += 0.5 * p[i] * Math.log(p[i] / m);
            }
            if (q[i] > 0) {
                js += 0.5 * q[i] * Math.log(q[i] / m);
            }
        }
        return js / Math.log(2);
    }

    /** The class-token row without the class token itself, renormalised to a distribution. */
    private static double[] patches(double[] row) {
        double[] p = new double[row.length - 1];
        double s = 0;
        for (int j = 1; j < row.length; j++) {
            p[j - 1] = row[j];
            s += row[j];
        }
        for (int j = 0; j < p.length; j++) {
            p[j] = s == 0 ? 1.0 / p.length : p[j] / s;
        }
        return p;
    }

    private static double[] scaled(double[] row) {
        double[] p = new double[row.length - 1];
        double max = 0;
        for (int j = 1; j < row.length; j++) {
            p[j - 1] = row[j];
            max = Math.max(max, row[j]);
        }
        for (int j = 0; j < p.length; j++) {
            p[j] = max == 0 ? 0 : p[j] / max;
        }
        return p;
    }

    private static double[][] identity(int n) {
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            m[i][i] = 1;
        }
        return m;
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length;
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                double v = a[i][k];
                if (v == 0) {
                    continue;
                }
                for (int j = 0; j < n; j++) {
                    out[i][j] += v * b[k][j];
                }
            }
        }
        return out;
    }
}
