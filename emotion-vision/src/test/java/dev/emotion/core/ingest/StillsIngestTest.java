package dev.emotion.core.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emotion.core.contract.Contracts;
import dev.emotion.core.contract.FaceBatch;
import dev.emotion.core.contract.FaceFrame;
import dev.emotion.core.contract.Split;
import dev.emotion.core.faces.FaceDetector;
import dev.emotion.core.faces.FaceDetectors;
import dev.emotion.core.labels.StillsIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped real faces (datasets/real-faces) through the stills ingest: faces found, labels and splits kept. */
class StillsIngestTest {

    static final Path REAL = Path.of("..", "datasets", "real-faces");

    @TempDir
    Path tmp;

    @Test
    void everyRealStillGetsAFaceOrIsNamedAndSplitsGroupByPerson() {
        StillsIndex index = StillsIndex.read(REAL.resolve("labels.csv"), REAL, null, 42);
        assertEquals(StillsIndex.SUBJECT, index.grouping());
        List<FaceBatch> batches = new ArrayList<>();
        StillsIngest.Outcome out;
        try (FaceDetector detector = FaceDetectors.open(FaceDetectors.defaultModelPath(), 0.5f, 10)) {
            assertFalse(detector.fallback(), "run deploy/models/fetch-models.sh (./emotion test does)");
            out = new StillsIngest(detector, IngestOptions.DEFAULT, false).run("real", "job-1", REAL, index,
                    batches::add, p -> { });
        }
        int files = index.entries().size();
        System.out.printf("real stills: %d files, %d faces, no face in %d (%s), %d needed the padded retry%n",
                files, out.found(), out.noFace().size(), out.noFace(), out.retried());
        // The goal of issue 28: no face on at most 2 % of real labelled stills, tight crops included.
        assertTrue(out.noFace().size() <= 0.02 * files, out.noFace().size() + " of " + files + " without a face: "
                + out.noFace());
        assertEquals(files, out.found() + out.noFace().size());
        assertTrue(out.retried() > 0, "some tight crops need the padded retry (else the retry is untested)");
        // Each frame carries its row's class; a person's faces are all in one split and one participant.
        Map<String, String> labelOf = new java.util.HashMap<>();
        index.entries().forEach(e -> labelOf.put(e.participant() + "#" + e.label(), e.label()));
        Map<String, Split> splitOf = new java.util.HashMap<>();
        Set<Split> splits = new HashSet<>();
        long frames = 0;
        for (FaceBatch b : batches) {
            Contracts.parse(Contracts.toJson(b), FaceBatch.class); // every batch is a valid record
            assertEquals(StillsIngest.STILLS_VIDEO, b.videoId());
            Split before = splitOf.putIfAbsent(b.participantId(), b.split());
            assertTrue(before == null || before == b.split(), b.participantId() + " in two splits");
            splits.add(b.split());
            for (FaceFrame f : b.frames()) {
                assertTrue(labelOf.containsKey(b.participantId() + "#" + f.dominant()), b.participantId() + " has no "
                        + f.dominant() + " row");
                frames++;
            }
        }
        assertEquals(out.found(), frames);
        assertEquals(Set.of(Split.TRAIN, Split.VAL, Split.TEST), splits);
    }

    @Test
    void alignedStillsAreTakenWholeAndBadRowsAreNamed() throws IOException {
        Path dir = tmp.resolve("set");
        Files.createDirectories(dir.resolve("a"));
        Path face = REAL.resolve("images").resolve(Files.list(REAL.resolve("images")).sorted().findFirst()
                .orElseThrow().getFileName());
        Files.copy(face, dir.resolve("a/one.jpg"));
        Files.write(dir.resolve("a/broken.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3});
        Files.writeString(dir.resolve("labels.csv"), "file,label\na/one.jpg,happy\n");
        StillsIndex index = StillsIndex.read(dir.resolve("labels.csv"), dir, Split.TEST, 1);
        assertEquals(StillsIndex.RANDOM_GROUPS, index.grouping());
        assertEquals("joy", index.entries().get(0).label());
        List<FaceBatch> batches = new ArrayList<>();
        try (FaceDetector detector = FaceDetectors.open(FaceDetectors.defaultModelPath(), 0.5f, 10)) {
            StillsIngest.Outcome out = new StillsIngest(detector, IngestOptions.DEFAULT, true).run("s", "j", dir,
                    index, batches::add, p -> { });
            assertEquals(1, out.found());
            assertEquals(Split.TEST, batches.get(0).split());
            assertTrue(batches.get(0).participantId().startsWith("test-group"), batches.get(0).participantId());
            Files.writeString(dir.resolve("labels.csv"), "file,label\na/one.jpg,joy\na/broken.jpg,sad\n");
            StillsIndex bad = StillsIndex.read(dir.resolve("labels.csv"), dir, null, 1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new StillsIngest(
                    detector, IngestOptions.DEFAULT, false).run("s", "j", dir, bad, b -> { }, p -> { }));
            assertTrue(e.getMessage().contains("a/broken.jpg (row 3)"), e.getMessage());
        }
    }
}
