package dev.emotion.core.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emotion.core.contract.Emotion;
import dev.emotion.core.evaluation.LabelAudit;
import dev.emotion.core.labels.AffdexCsvReader;
import dev.emotion.core.labels.LabelPolicy;
import dev.emotion.core.labels.LabelSample;
import dev.emotion.core.labels.LabelTrack;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The synthetic study's labels can be learned across people: every emotion on every person, the class says
 * nothing about who it is (Cramér's V), neutral stretches within bounds, and the AU oracle (the labels' own ceiling)
 * high under participant-grouped cross-validation. Labels only, no rendering: these run in seconds.
 */
class SyntheticLabelsTest {

    @TempDir
    Path dir;

    @Test
    void theStandardPresetShowsEveryEmotionOnEveryPersonAndTheLabelsDoNotGiveThePersonAway() throws IOException {
        LabelAudit.Result r = audit(SynthPreset.STANDARD, 42);
        assertTrue(r.cramersV() <= 0.15, "participant vs dominant class: Cramér's V " + r.cramersV());
        for (LabelAudit.Balance b : r.perParticipant()) {
            assertTrue(b.neutralFraction() >= 0.25 && b.neutralFraction() <= 0.5,
                    b.participant() + " neutral share " + b.neutralFraction());
            for (Emotion e : Emotion.values()) {
                assertTrue(b.classes().get(e.label()) > 0, b.participant() + " has no " + e.label() + " frame");
            }
        }
        assertTrue(r.oracle().macroF1Mean() >= 0.95, "AU oracle macro-F1 " + r.oracle().macroF1Mean());
    }

    @Test
    void everyEmotionPeaksAboveTheThresholdAtLeastTwiceAMinuteOnEveryPresetIncludingHard() throws IOException {
        for (SynthPreset preset : List.of(SynthPreset.QUICK, SynthPreset.HARD)) {
            SyntheticStudy.Spec spec = spec(preset, 7);
            List<Path> files = SyntheticStudy.writeLabels(spec, dir.resolve(preset.label()));
            int expected = EmotionScript.blocks(spec.seconds());
            assertTrue(expected >= 2 * spec.seconds() / 60, "blocks " + expected);
            for (Path f : files) {
                LabelTrack track = new AffdexCsvReader().read(f);
                for (Emotion e : Emotion.values()) {
                    int peaks = peaksAbove(track, e, 0.5);
                    if (preset == SynthPreset.QUICK) {
                        assertTrue(peaks >= expected, f.getFileName() + ": " + e.label() + " peaks " + peaks
                                + " times above 0.5, expected " + expected);
                    } else {
                        // hard: lower intensities, so some episodes stay below; still on every person.
                        assertTrue(peaks >= 1, f.getFileName() + ": " + e.label() + " never above 0.5");
                    }
                }
            }
            LabelAudit.Result r = audit(preset, 7);
            assertTrue(r.cramersV() <= 0.15, preset + ": Cramér's V " + r.cramersV());
        }
    }

    @Test
    void cramersVIsZeroForIndependenceAndOneWhenTheClassGivesThePersonAway() {
        assertEquals(0, LabelAudit.cramersV(new long[][] {{10, 20, 30}, {20, 40, 60}}), 1e-12);
        assertEquals(1, LabelAudit.cramersV(new long[][] {{10, 0, 0}, {0, 7, 0}, {0, 0, 3}}), 1e-12);
        // 2x2 by hand: chi2 = 100 * (30*30 - 20*20)^2 / (50*50*50*50) = 4, V = sqrt(4 / 100) = 0.2
        assertEquals(0.2, LabelAudit.cramersV(new long[][] {{30, 20}, {20, 30}}), 1e-12);
    }

    @Test
    void badSettingsAreRefusedWithTheValidRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SyntheticStudy.Spec("s", 0, 10, 320, 240, 30, 1));
        assertTrue(e.getMessage().contains("participants must be 1..1000; got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SyntheticStudy.Spec("s", 2, -5, 320, 240, 30, 1));
        assertTrue(e.getMessage().contains("seconds must be in (0, 7200]; got -5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SynthPreset.of("huge"));
        assertEquals("unknown preset 'huge' (valid: quick, standard, benchmark, hard)", e.getMessage());
    }

    static SyntheticStudy.Spec spec(SynthPreset preset, long seed) {
        return new SyntheticStudy.Spec(preset.label(), preset.participants(), preset.seconds(), 640, 480, 30, seed,
                preset.difficulty());
    }

    private LabelAudit.Result audit(SynthPreset preset, long seed) throws IOException {
        SyntheticStudy.Spec spec = spec(preset, seed);
        List<Path> files = SyntheticStudy.writeLabels(spec, dir.resolve("audit-" + preset.label()));
        Map<String, LabelTrack> tracks = new TreeMap<>();
        AffdexCsvReader reader = new AffdexCsvReader();
        for (int i = 0; i < files.size(); i++) {
            tracks.put(SyntheticStudy.participantId(i), reader.read(files.get(i)));
        }
        LabelAudit.Result r = LabelAudit.of(tracks, 10, LabelPolicy.DEFAULT, 5, seed);
        System.out.printf("%s (seed %d): %d people, %d frames, excluded %.1f %%, Cramér's V %.3f, AU oracle "
                        + "macro-F1 %.3f +- %.3f, balanced accuracy %.3f%n", preset.label(), seed, r.participants(),
                r.frames(), 100.0 * r.excluded() / r.frames(), r.cramersV(), r.oracle().macroF1Mean(),
                r.oracle().macroF1Sd(), r.oracle().balancedAccuracyMean());
        for (LabelAudit.Balance b : r.perParticipant()) {
            System.out.printf("  %s neutral %.2f excluded %d %s%n", b.participant(), b.neutralFraction(), b.excluded(),
                    b.classes());
        }
        return r;
    }

    /** Episodes in which the emotion's score rises to {@code threshold} or above. */
    private static int peaksAbove(LabelTrack track, Emotion e, double threshold) {
        int peaks = 0;
        boolean above = false;
        for (LabelSample s : track.samples()) {
            if (s.isGap()) {
                continue;
            }
            boolean now = s.labels().emotions().get(e) >= threshold;
            if (now && !above) {
                peaks++;
            }
            above = now;
        }
        return peaks;
    }
}
