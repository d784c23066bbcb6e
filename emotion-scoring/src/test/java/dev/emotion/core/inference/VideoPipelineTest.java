package dev.emotion.core.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emotion.core.contract.Architecture;
import dev.emotion.core.contract.InferencePrediction.FacePrediction;
import dev.emotion.core.contract.Task;
import dev.emotion.core.faces.Detection;
import dev.emotion.core.faces.FaceCropper;
import dev.emotion.core.faces.FaceDetector;
import dev.emotion.core.faces.FaceDetectors;
import dev.emotion.core.faces.FacePipeline;
import dev.emotion.core.training.TrainedModel;
import dev.emotion.core.synth.SyntheticStudy;
import dev.emotion.core.training.TrainingFixtures;
import dev.emotion.core.video.VideoException;
import dev.emotion.core.video.VideoReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipelined video scorer gives what the frame-by-frame scorer gives when it detects every frame, runs the
 * detector far less when the face holds still, and stops cleanly (no hang, the file named) when something fails.
 */
class VideoPipelineTest {

    @TempDir
    static Path dir;
    static Path video;
    static TrainedModel model;
    static Path modelDir;
    static final FacePipeline.Options O = FacePipeline.Options.DEFAULT;

    record Frame(long index, long ts, List<FacePrediction> faces) {
    }

    @BeforeAll
    static void setUp() throws IOException {
        video = SyntheticStudy.generate(new SyntheticStudy.Spec("vp", 1, 3, 320, 240, 30, 5), dir.resolve("v"),
                n -> { }).get(0).video();
        modelDir = TrainingFixtures.modelDir(dir.resolve("m"), Architecture.CNN_SIMPLE, Task.EMOTION_CLASS);
        model = TrainedModel.open(modelDir);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static FaceDetector detector() {
        return FaceDetectors.open(FaceDetectors.defaultModelPath(), 0.5f, 20);
    }

    static List<Frame> pipeline(int k, int batch, VideoPipeline.Stats[] stats) {
        List<Frame> out = new ArrayList<>();
        try (FaceDetector d = detector()) {
            stats[0] = new VideoPipeline(d, new FaceCropper(O.cropSize(), O.enlarge(), O.jpegQuality()), model,
                    new VideoPipeline.Options(k, batch)).run(video, 1000,
                    (i, ts, id, faces) -> out.add(new Frame(i, ts, faces)), n -> { });
        }
        return out;
    }

    @Test
    void detectingEveryFrameGivesWhatTheFrameByFrameScorerGives() {
        List<Frame> reference = new ArrayList<>();
        try (ModelSlot slot = new ModelSlot(); DynamicBatcher batcher = new DynamicBatcher(1, 0);
             FaceScorer scorer = new FaceScorer(VideoPipelineTest::detector, 1, new FaceCropper(O.cropSize(),
                     O.enlarge(), O.jpegQuality()), batcher); VideoReader reader = VideoReader.open(video)) {
            slot.swap(TrainedModel.open(modelDir));
            FaceTracks tracks = new FaceTracks();
            reader.decode(1000, (i, ts, bgr) -> {
                try (ModelSlot.Lease lease = slot.acquire()) {
                    List<Detection> found = scorer.detect(bgr);
                    int[] ids = tracks.assign(found);
                    reference.add(new Frame(i, ts, scorer.score(lease, bgr, found, ids, null, tracks).faces()));
                }
            });
        }
        VideoPipeline.Stats[] stats = new VideoPipeline.Stats[1];
        List<Frame> piped = pipeline(1, 8, stats);
        assertEquals(90, reference.size(), "3 s at 30 fps");
        assertEquals(reference.size(), piped.size());
        assertEquals(90, stats[0].detections(), "k = 1 detects every frame");
        for (int f = 0; f < reference.size(); f++) {
            Frame r = reference.get(f);
            Frame p = piped.get(f);
            assertEquals(r.index(), p.index(), "frames in order");
            assertEquals(r.ts(), p.ts());
            assertEquals(r.faces().size(), p.faces().size(), "frame " + f);
            for (int i = 0; i < r.faces().size(); i++) {
                FacePrediction a = r.faces().get(i);
                FacePrediction b = p.faces().get(i);
                assertEquals(a.faceId(), b.faceId());
                assertEquals(a.box(), b.box());
                assertEquals(a.detectionScore(), b.detectionScore(), 1e-6);
                assertEquals(a.baseline(), b.baseline());
                for (String label : a.probabilities().keySet()) {
                    assertEquals(a.probabilities().get(label), b.probabilities().get(label), 1e-4,
                            "frame " + f + " " + label + " (crops batched across frames)");
                }
            }
        }
    }

    @Test
    void aStillFaceIsDetectedOnAFractionOfTheFramesAndEveryFrameStillHasIt() {
        VideoPipeline.Stats[] stats = new VideoPipeline.Stats[1];
        List<Frame> every = pipeline(1, 8, stats);
        List<Frame> adaptive = pipeline(8, 8, stats);
        assertEquals(every.size(), adaptive.size());
        assertTrue(stats[0].detections() <= every.size() / 2, "detector runs: " + stats[0].detections());
        long withFace = every.stream().filter(f -> !f.faces().isEmpty()).count();
        long heldFace = adaptive.stream().filter(f -> !f.faces().isEmpty()).count();
        assertTrue(heldFace >= withFace - 8, "faces " + heldFace + " vs " + withFace + " when detecting each frame");
        for (int f = 1; f < adaptive.size(); f++) {
            assertTrue(adaptive.get(f).index() > adaptive.get(f - 1).index(), "in order");
        }
    }

    @Test
    void failuresStopEveryStageAndNameTheCause() throws IOException {
        Path junk = Files.writeString(dir.resolve("junk.mp4"), "not a video");
        VideoException bad = assertThrows(VideoException.class, () -> {
            try (FaceDetector d = detector()) {
                new VideoPipeline(d, new FaceCropper(224, 1.4, 90), model, VideoPipeline.Options.DEFAULT)
                        .run(junk, 5, (i, ts, id, faces) -> { }, n -> { });
            }
        });
        assertTrue(bad.getMessage().contains("junk.mp4"), bad.getMessage());
        // the consumer fails at frame 10 (a full disk, say): the run ends with that error, nothing left waiting
        IllegalStateException full = assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
                assertThrows(IllegalStateException.class, () -> {
                    try (FaceDetector d = detector()) {
                        new VideoPipeline(d, new FaceCropper(224, 1.4, 90), model, new VideoPipeline.Options(8, 4))
                                .run(video, 1000, (i, ts, id, faces) -> {
                                    if (i == 10) {
                                        throw new IllegalStateException("disk full at frame 10");
                                    }
                                }, n -> { });
                    }
                }));
        assertEquals("disk full at frame 10", full.getMessage());
    }
}
