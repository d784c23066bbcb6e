package dev.emotion.core.ingest;

import dev.emotion.core.contract.ParticipantSplits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emotion.core.contract.Contracts;
import dev.emotion.core.contract.FaceBatch;
import dev.emotion.core.contract.FaceFrame;
import dev.emotion.core.contract.Split;
import dev.emotion.core.faces.FaceDetector;
import dev.emotion.core.faces.FaceDetectors;
import dev.emotion.core.labels.LabelPolicy;
import dev.emotion.core.labels.LabelFileException;
import dev.emotion.core.synth.SyntheticStudy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideoIngestTest {

    @TempDir
    Path dir;

    @Test
    void aGeneratedParticipantBecomesValidBoundedBatchesWithAlignedLabels() throws IOException {
        SyntheticStudy.Spec spec = new SyntheticStudy.Spec("s", 1, 8, 320, 240, 30, 3);
        SyntheticStudy.Participant p = SyntheticStudy.generate(spec, dir, n -> { }).get(0);
        List<FaceBatch> batches = new ArrayList<>();
        List<VideoIngest.Progress> progress = new ArrayList<>();
        VideoIngest.Outcome out;
        try (FaceDetector detector = FaceDetectors.open(FaceDetectors.defaultModelPath(), 0.5f, 20)) {
            out = new VideoIngest(detector, IngestOptions.DEFAULT).run("s", "p01", "job-1", Split.TRAIN, p.video(),
                    p.labels(), batches::add, progress::add);
        }
        assertEquals(240, out.counts().frames(), "8 s at 30 fps");
        assertEquals(batches.size(), out.counts().batches());
        long frames = 0;
        for (int i = 0; i < batches.size(); i++) {
            FaceBatch b = batches.get(i);
            assertEquals(List.of(), Contracts.problems(b));
            assertEquals(i, b.batchIndex());
            assertEquals("s/p01", b.key());
            assertTrue(b.frames().size() <= IngestOptions.DEFAULT.maxFramesPerBatch());
            frames += b.frames().size();
        }
        assertEquals(out.counts().faces(), frames);
        assertTrue(out.counts().faces() >= 230, "a face in (almost) every frame: " + out.counts().faces());
        long annotated = batches.stream().flatMap(b -> b.frames().stream()).filter(f -> f.labels() != null).count();
        long labelled = batches.stream().flatMap(b -> b.frames().stream()).filter(f -> f.dominant() != null).count();
        long ambiguous = out.excluded().values().stream().mapToLong(Long::longValue).sum();
        assertEquals(out.counts().labelled(), labelled);
        assertEquals(annotated, labelled + ambiguous, "an annotated frame has a dominant label or is excluded");
        assertEquals(labelled, out.labelCounts().values().stream().mapToLong(Long::longValue).sum());
        assertEquals(java.util.Set.of(LabelPolicy.DEFAULT.ambiguousReason()), out.excluded().keySet());
        assertTrue(annotated >= out.counts().faces() * 0.85, "labels at ~25 Hz cover 30 fps frames within 50 ms");
        for (FaceBatch b : batches) {
            for (FaceFrame x : b.frames()) {
                if (x.labels() != null && x.dominant() == null) {
                    assertEquals(LabelPolicy.DEFAULT.ambiguousReason(), LabelPolicy.DEFAULT.exclusion(x.labels()));
                }
            }
        }
        FaceFrame f = batches.get(1).frames().get(3);
        var expected = SyntheticStudy.script(spec, 0).emotions(f.timestampMs() / 1000.0);
        assertEquals(expected[0], f.labels().joy(), 0.1, "joy at the frame's time matches the ground truth");
        assertEquals(batches.size(), progress.get(progress.size() - 1).batches());
    }

    @Test
    void labelsOutsideTheVideoFailBeforeAnythingIsPublished() throws IOException {
        SyntheticStudy.Spec spec = new SyntheticStudy.Spec("s", 1, 3, 160, 120, 30, 3);
        SyntheticStudy.Participant p = SyntheticStudy.generate(spec, dir, n -> { }).get(0);
        Path late = Files.writeString(dir.resolve("late.csv"), "Timestamp,Joy,Anger,Fear,Disgust,Sadness,Surprise,"
                + "Contempt\n600000,50,0,0,0,0,0,0\n600040,50,0,0,0,0,0,0\n");
        List<FaceBatch> batches = new ArrayList<>();
        try (FaceDetector detector = FaceDetectors.open(FaceDetectors.defaultModelPath(), 0.5f, 20)) {
            LabelFileException e = assertThrows(LabelFileException.class, () -> new VideoIngest(detector,
                    IngestOptions.DEFAULT).run("s", "p01", "j", Split.TRAIN, p.video(), late, batches::add, x -> { }));
            assertTrue(e.getMessage().contains("the labels cover 600.0-600.0 s but the video lasts 3.0 s"),
                    e.getMessage());
        }
        assertEquals(List.of(), batches);
    }

    @Test
    void splitsAreByParticipantThreeOneOneAndDeterministic() {
        List<String> ps = new ArrayList<>(List.of("p01", "p02", "p03", "p04", "p05"));
        Map<String, Split> a = ParticipantSplits.assign(ps, 42, 3, 1, 1);
        Collections.reverse(ps);
        Map<String, Split> b = ParticipantSplits.assign(ps, 42, 3, 1, 1);
        assertEquals(a, b, "listing order does not matter");
        assertEquals(3, a.values().stream().filter(s -> s == Split.TRAIN).count());
        assertEquals(1, a.values().stream().filter(s -> s == Split.VAL).count());
        assertEquals(1, a.values().stream().filter(s -> s == Split.TEST).count());
        assertEquals(Map.of("p01", 0, "p02", 1, "p03", 2, "p04", 3, "p05", 4), ParticipantSplits.lopoFolds(ps));
    }
}
