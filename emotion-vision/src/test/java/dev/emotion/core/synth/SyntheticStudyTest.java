package dev.emotion.core.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emotion.core.faces.FaceDetector;
import dev.emotion.core.faces.FaceDetectors;
import dev.emotion.core.faces.FacePipeline;
import dev.emotion.core.faces.FrameFaces;
import dev.emotion.core.labels.AffdexCsvReader;
import dev.emotion.core.labels.LabelSample;
import dev.emotion.core.labels.LabelTrack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticStudyTest {

    @TempDir
    Path dir;

    @Test
    void generatesVideosAndIMotionsLabelsThatTheIngestSideReads() throws IOException {
        SyntheticStudy.Spec spec = new SyntheticStudy.Spec("test-study", 2, 12, 320, 240, 30, 7);
        List<SyntheticStudy.Participant> ps = SyntheticStudy.generate(spec, dir.resolve("a"), n -> { });
        assertEquals(List.of("p01", "p02"), ps.stream().map(SyntheticStudy.Participant::participantId).toList());

        LabelTrack track = new AffdexCsvReader().read(ps.get(0).labels());
        assertEquals("imotions", track.format());
        assertEquals("p01", track.metadata().get("Respondent Name"));
        assertTrue(Math.abs(track.samples().size() - 12 * 25) <= 15, "~25 Hz: " + track.samples().size());
        EmotionScript script = SyntheticStudy.script(spec, 0);
        for (LabelSample s : track.samples()) {
            assertEquals(script.faceHidden(s.timestampMs() / 1000.0), s.isGap(), "NaN exactly where hidden");
        }
        assertEquals(List.of(), track.warnings());

        // Same seed, same study.
        List<SyntheticStudy.Participant> again = SyntheticStudy.generate(spec, dir.resolve("b"), n -> { });
        assertArrayEquals(Files.readAllBytes(ps.get(1).labels()), Files.readAllBytes(again.get(1).labels()));
    }

    @Test
    void theMediaPipeDetectorFindsTheRenderedFaceInAlmostEveryVisibleFrame() throws IOException {
        SyntheticStudy.Spec spec = new SyntheticStudy.Spec("detect", 3, 20, 480, 360, 30, 11);
        List<SyntheticStudy.Participant> ps = SyntheticStudy.generate(spec, dir, n -> { });
        int visible = 0;
        int found = 0;
        int falseFaces = 0;
        try (FaceDetector detector = FaceDetectors.open(FaceDetectors.defaultModelPath(), 0.5f, 20)) {
            FacePipeline pipeline = new FacePipeline(detector, new FacePipeline.Options(10, 112, 1.4, 85));
            for (int i = 0; i < ps.size(); i++) {
                EmotionScript script = SyntheticStudy.script(spec, i);
                List<FrameFaces> frames = new ArrayList<>();
                pipeline.run(ps.get(i).video(), frames::add);
                for (FrameFaces f : frames) {
                    double t = f.timestampMs() / 1000.0;
                    if (!script.faceHidden(t)) {
                        visible++;
                        found += f.faces().isEmpty() ? 0 : 1;
                    }
                    falseFaces += Math.max(0, f.faces().size() - 1);
                }
            }
        }
        double rate = (double) found / visible;
        System.out.printf("detection rate on rendered faces: %.3f (%d of %d visible frames), extra faces %d%n",
                rate, found, visible, falseFaces);
        assertTrue(rate >= 0.98, "detection rate " + rate);
        assertTrue(falseFaces <= visible / 50, "false faces " + falseFaces);
    }
}
