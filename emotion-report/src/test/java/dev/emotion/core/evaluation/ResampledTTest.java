package dev.emotion.core.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Nadeau-Bengio's correction on numbers worked by hand. */
class ResampledTTest {

    @Test
    void fiveFoldsWidenTheIntervalByTheSquareRootOfTheCorrection() {
        double[] folds = {0.80, 0.82, 0.78, 0.85, 0.75};
        ResampledT.Summary plain = ResampledT.naive(folds);
        ResampledT.Summary fixed = ResampledT.corrected(folds, 1.0 / 4);
        assertEquals(0.80, fixed.mean(), 1e-12);
        // sd = sqrt(0.0058 / 4) = 0.038079; t(4, 0.975) = 2.776445
        assertEquals(0.0380789, fixed.sd(), 1e-6);
        assertEquals(2.776445 * 0.0380789 / Math.sqrt(5), plain.high() - plain.mean(), 1e-5);
        // 1/5 + 1/4 = 0.45 against 0.2: the half-width grows by sqrt(2.25) = 1.5
        assertEquals(1.5, (fixed.high() - fixed.mean()) / (plain.high() - plain.mean()), 1e-9);
        assertTrue(fixed.low() < plain.low());
    }

    @Test
    void threeSeedsOfFiveFoldsUseFifteenScores() {
        double[] scores = new double[15];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = 0.7 + 0.01 * (i % 5);
        }
        ResampledT.Summary s = ResampledT.corrected(scores, 1.0 / 4);
        assertEquals(15, s.n());
        // t(14, 0.975) = 2.144787; the correction 1/15 + 1/4 dominates: more folds of the same data cannot shrink it
        double sd = s.sd();
        assertEquals(2.144787 * Math.sqrt((1.0 / 15 + 0.25) * sd * sd), s.high() - s.mean(), 1e-5);
    }
}
