package dev.emotion.core.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emotion.core.contract.EmotionLabels;
import dev.emotion.core.labels.LabelSample;
import dev.emotion.core.labels.LabelTrack;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

class AgreementTest {

    /** Slow emotion traces (one emotion rising at a time, as in an interview), sampled every 33 ms for 40 s. */
    static EmotionLabels truth(long t) {
        double phase = t / 4000.0;
        int which = (int) phase % 4;
        double level = 0.5 + 0.5 * Math.sin(2 * Math.PI * (phase - Math.floor(phase)));
        double[] e = new double[7];
        e[new int[] {0, 1, 4, 5}[which]] = level;
        return new EmotionLabels(e[0], e[1], e[2], e[3], e[4], e[5], e[6], level - 0.5, 0.8, null,
                Map.of("Smile", which == 0 ? level : 0.0));
    }

    static LabelTrack track(String name, long shift, double noise, long seed, LongFunction<EmotionLabels> f) {
        Random r = new Random(seed);
        List<LabelSample> s = new ArrayList<>();
        for (long t = 0; t <= 40_000; t += 33) {
            EmotionLabels l = f.apply(t - shift);
            double n = noise;
            s.add(new LabelSample(t, new EmotionLabels(clip(l.joy(), n, r), clip(l.anger(), n, r),
                    clip(l.fear(), n, r), clip(l.disgust(), n, r), clip(l.sadness(), n, r),
                    clip(l.surprise(), n, r), clip(l.contempt(), n, r), l.valence(), l.engagement(), null,
                    l.expressions())));
        }
        return new LabelTrack(Path.of(name), "imotions", Map.of(), s, List.of());
    }

    static double clip(double v, double noise, Random r) {
        return Math.max(0, Math.min(1, v + noise * r.nextGaussian()));
    }

    @Test
    void findsTheLagAndAgreesWithItselfDelayed() {
        LabelTrack reference = track("affdex.csv", 0, 0, 1, AgreementTest::truth);
        LabelTrack late = track("predictions.csv", 231, 0.03, 2, AgreementTest::truth); // 231 ms late, noisy
        Agreement.Result r = Agreement.compare(late, reference, 1000, 33, 20);
        assertEquals(231, r.lagMs(), 33, "the lag search finds the delay");
        Agreement.Channel joy = r.channels().stream().filter(c -> c.name().equals("joy")).findFirst().orElseThrow();
        assertTrue(joy.pearson() > 0.95 && joy.ccc() > 0.95, joy.toString());
        assertTrue(joy.pearsonCi().low() <= joy.pearson() && joy.pearson() <= joy.pearsonCi().high(), joy.toString());
        assertTrue(joy.mae() < 5, "MAE on 0..100: " + joy.mae());
        assertTrue(r.channels().stream().anyMatch(c -> c.name().equals("Smile")), "expressions both files have");
        assertTrue(r.channels().stream().noneMatch(c -> c.name().equals("attention")), "neither file has attention");
        assertTrue(r.kappa() > 0.8, "kappa " + r.kappa());
        Agreement.Result atZero = Agreement.compare(late, reference, 0, 33, 20);
        assertTrue(atZero.channels().get(0).pearson() < joy.pearson(), "without the lag search the fit is worse");
    }

    @Test
    void unrelatedTracesDoNotAgree() {
        LabelTrack reference = track("a.csv", 0, 0, 1, AgreementTest::truth);
        LabelTrack other = track("b.csv", 0, 0, 2, t -> truth(t * 7 + 13_000));
        Agreement.Result r = Agreement.compare(other, reference, 500, 100, 20);
        Agreement.Channel joy = r.channels().get(0);
        assertTrue(Math.abs(joy.pearson()) < 0.5, joy.toString());
        assertTrue(r.kappa() < 0.4, "kappa " + r.kappa());
        LabelTrack elsewhere = track("c.csv", 0, 0, 1, AgreementTest::truth);
        LabelTrack shifted = new LabelTrack(Path.of("d.csv"), "imotions", Map.of(), elsewhere.samples().stream()
                .map(s -> new LabelSample(s.timestampMs() + 100_000, s.labels())).toList(), List.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Agreement.compare(shifted, reference, 1000, 33, 20));
        assertTrue(e.getMessage().contains("same video"), e.getMessage());
    }

    @Test
    void kappaOfAKnownTable() {
        double[] ak = Agreement.agreementAndKappa(new long[][] {{20, 5}, {10, 15}});
        assertEquals(0.7, ak[0], 1e-12);
        assertEquals(0.4, ak[1], 1e-12); // pe = 0.5 x 0.6 + 0.5 x 0.4
    }
}
