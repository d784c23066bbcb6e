package dev.emotion.core.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emotion.core.contract.Emotion;
import dev.emotion.core.contract.EmotionLabels;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LabelTimelineTest {

    /** Irregular ~25 Hz samples with a gap (no face) at 80 ms. */
    static final LabelTrack TRACK = new LabelTrack(Path.of("p.csv"), "imotions", Map.of(), List.of(
            new LabelSample(0, joy(0.0)),
            new LabelSample(37, joy(0.37)),
            new LabelSample(80, null),
            new LabelSample(118, joy(0.9)),
            new LabelSample(300, joy(0.2))), List.of());

    static EmotionLabels joy(double j) {
        return new EmotionLabels(j, 0.1, 0.0, 0.0, 0.0, 0.0, 0.0, null, 0.5, j);
    }

    @Test
    void nearestTakesTheClosestSampleWithinTheTolerance() {
        LabelTimeline t = new LabelTimeline(TRACK, LabelTimeline.Mode.NEAREST, 30);
        assertEquals(0.37, t.at(33).orElseThrow().joy(), 1e-9);
        assertEquals(0.0, t.at(18).orElseThrow().joy(), 1e-9, "equidistant goes to the earlier sample");
        assertTrue(t.at(75).isEmpty(), "nearest is a gap: unlabelled, not invented");
        assertTrue(t.at(200).isEmpty(), "82 ms from any sample: unlabelled");
        assertTrue(t.at(-40).isEmpty());
        assertEquals(0.2, t.at(330).orElseThrow().joy(), 1e-9);
    }

    @Test
    void linearInterpolatesBetweenCloseSamplesWithFaces() {
        LabelTimeline t = new LabelTimeline(TRACK, LabelTimeline.Mode.LINEAR, 30);
        assertEquals(0.20, t.at(20).orElseThrow().joy(), 1e-9);
        assertEquals(0.20, t.at(20).orElseThrow().attention(), 1e-9);
        assertEquals(0.1, t.at(20).orElseThrow().anger(), 1e-9);
        assertTrue(t.at(90).isEmpty(), "between a gap and a face, the nearest (the gap) wins");
        assertEquals(0.9, t.at(140).orElseThrow().joy(), 1e-9, "samples 182 ms apart: nearest within tolerance");
    }

    @Test
    void labelsOutsideTheVideoAreRejectedWithTheLikelyCause() {
        LabelTimeline t = new LabelTimeline(TRACK, LabelTimeline.Mode.NEAREST, 30);
        t.requireOverlap(10_000);
        LabelTrack late = new LabelTrack(Path.of("late.csv"), "imotions", Map.of(),
                List.of(new LabelSample(120_000, joy(0.5)), new LabelSample(180_000, joy(0.5))), List.of());
        LabelFileException e = assertThrows(LabelFileException.class,
                () -> new LabelTimeline(late, LabelTimeline.Mode.NEAREST, 30).requireOverlap(60_000));
        assertTrue(e.getMessage().startsWith("late.csv: the labels cover 120.0-180.0 s but the video lasts 60.0 s"),
                e.getMessage());
    }

    @Test
    void policyDerivesDominantNeutralAndMultilabel() {
        LabelPolicy p = LabelPolicy.DEFAULT;
        assertEquals("joy", p.dominant(joy(0.9)));
        assertEquals(Emotion.NEUTRAL, p.dominant(joy(0.3)));
        EmotionLabels mixed = new EmotionLabels(0.6, 0.0, 0.0, 0.0, 0.0, 0.6, 0.7, null, null, null);
        assertEquals("contempt", p.dominant(mixed));
        assertEquals(Set.of(Emotion.JOY, Emotion.SURPRISE, Emotion.CONTEMPT), p.present(mixed));
        EmotionLabels tie = new EmotionLabels(0.6, 0.6, 0.0, 0.0, 0.0, 0.0, 0.0, null, null, null);
        assertEquals("joy", p.dominant(tie), "ties go to the first emotion");
        assertThrows(IllegalArgumentException.class, () -> new LabelPolicy(1.5, 0.5));
    }

    @Test
    void framesInTheAmbiguousBandBelowTheThresholdGetNoDominantLabelAndSayWhy() {
        LabelPolicy p = LabelPolicy.DEFAULT;
        assertNull(p.dominant(joy(0.4)), "0.40 is neither clearly joy nor clearly neutral");
        assertEquals("ambiguous: top score in [0.35, 0.50)", p.exclusion(joy(0.4)));
        assertNull(p.exclusion(joy(0.5)));
        assertEquals("joy", p.dominant(joy(0.5)));
        assertEquals(Emotion.NEUTRAL, p.dominant(joy(0.349)));
        assertNull(p.exclusion(joy(0.349)));
        assertEquals(Emotion.NEUTRAL, p.withAmbiguousBand(0).dominant(joy(0.4)), "no band: below is neutral");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.withAmbiguousBand(0.6));
        assertTrue(e.getMessage().contains("ambiguousBand must be within [0, neutralBelow=0.5]"), e.getMessage());
    }
}
