package dev.emotion.core.evaluation;

/**
 * McNemar's test between two classifiers on the same frames: only the discordant pairs count (b = first right and
 * second wrong, c = the reverse). Exact two-sided binomial p-value (b ~ Bin(b + c, 1/2)), valid for any count.
 */
public record McNemar(String first, String second, long firstOnlyCorrect, long secondOnlyCorrect, double pValue,
                      boolean significant) {

    public static final double ALPHA = 0.05;

    public static McNemar test(String first, String second, boolean[] firstCorrect, boolean[] secondCorrect) {
        if (firstCorrect.length != secondCorrect.length) {
            throw new IllegalArgumentException("McNemar needs the same frames: " + firstCorrect.length + " vs "
                    + secondCorrect.length);
        }
        long b = 0;
        long c = 0;
        for (int i = 0; i < firstCorrect.length; i++) {
            if (firstCorrect[i] && !secondCorrect[i]) {
                b++;
            } else if (!firstCorrect[i] && secondCorrect[i]) {
                c++;
            }
        }
        double p = exactP(b, c);
        return new McNemar(first, second, b, c, p, p < ALPHA);
    }

    /** 2 * P(X <= min(b, c)) for X ~ Bin(b + c, 1/2), capped at 1; 1 when there is no discordant pair. */
    static double exactP(long b, long c) {
        long n = b + c;
        if (n == 0) {
            return 1;
        }
        long k = Math.min(b, c);
        double logHalfN = n * Math.log(0.5);
        // Sum in log space: C(n, i) overflows doubles long before n reaches realistic frame counts.
        double logSum = Double.NEGATIVE_INFINITY;
        double logC = 0; // log C(n, 0)
        for (long i = 0; i <= k; i++) {
            if (i > 0) {
                logC += Math.log((double) (n - i + 1) / i);
            }
            double t = logC + logHalfN;
            logSum = Math.max(logSum, t) + Math.log1p(Math.exp(-Math.abs(logSum - t)));
        }
        return Math.min(1, 2 * Math.exp(logSum));
    }
}
