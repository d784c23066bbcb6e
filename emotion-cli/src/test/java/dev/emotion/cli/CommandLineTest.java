package dev.emotion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {

    @TempDir
    Path dir;

    @Test
    void optionsAreParsedAndMistakesNamed() {
        Args a = new Args("synth", List.of("--participants", "3", "--out=x", "--quick"), Set.of("participants", "out"),
                Set.of("quick"));
        assertEquals(3, a.integer("participants", 5));
        assertEquals("x", a.get("out", null));
        assertTrue(a.flag("quick"));
        UsageException unknown = assertThrows(UsageException.class,
                () -> new Args("synth", List.of("--colour", "red"), Set.of("out"), Set.of()));
        assertEquals("synth: unknown option --colour (known: --out)", unknown.getMessage());
        assertEquals("synth: --out needs a value", assertThrows(UsageException.class,
                () -> new Args("synth", List.of("--out"), Set.of("out"), Set.of())).getMessage());
        assertEquals("synth: --out needs a value", assertThrows(UsageException.class,
                () -> new Args("synth", List.of("--out", "--quick"), Set.of("out"), Set.of("quick"))).getMessage());
        assertEquals("synth: unexpected argument 'p01.mp4'", assertThrows(UsageException.class,
                () -> new Args("synth", List.of("p01.mp4"), Set.of("out"), Set.of())).getMessage());
        Args paths = new Args("predict", List.of("a.mp4", "--fps", "5", "b dir", "--fps=all"), Set.of("fps"),
                Set.of("force"), true);
        assertEquals(List.of("a.mp4", "b dir"), paths.positionals());
        assertEquals("all", paths.get("fps", null)); // the last value wins
        assertFalse(paths.flag("force"));
        assertFalse(paths.has("force"));
        Args n = new Args("synth", List.of("--participants", "five"), Set.of("participants"), Set.of());
        assertEquals("synth: --participants 'five' is not a whole number",
                assertThrows(UsageException.class, () -> n.integer("participants", 5)).getMessage());
    }

    @Test
    void aStudyFolderPairsVideosWithTheirLabelsByName() throws IOException {
        Files.writeString(dir.resolve("p01.mp4"), "v");
        Files.writeString(dir.resolve("p01.csv"), "l");
        Files.writeString(dir.resolve("p02.MOV"), "v");
        Files.writeString(dir.resolve("p02.csv"), "l");
        Files.writeString(dir.resolve("notes.txt"), "x");
        var pairs = IngestCommand.pairs(dir);
        assertEquals(List.of("p01", "p02"), List.copyOf(pairs.keySet()));
        assertEquals(dir.resolve("p02.MOV"), pairs.get("p02")[0]);
        Files.writeString(dir.resolve("p03.mkv"), "v");
        UsageException e = assertThrows(UsageException.class, () -> IngestCommand.pairs(dir));
        assertTrue(e.getMessage().startsWith("ingest: no labels CSV for [p03.mkv]"), e.getMessage());
    }

    @Test
    void predictFindsTheVideosOfFoldersAndRefusesTwoThatWouldWriteOneCsv() throws IOException {
        Files.createDirectories(dir.resolve("day1/cam"));
        Files.createDirectories(dir.resolve("day2"));
        Files.writeString(dir.resolve("day1/cam/p01.mp4"), "v");
        Files.writeString(dir.resolve("day1/p02.MOV"), "v");
        Files.writeString(dir.resolve("day1/p02.csv"), "labels, not a video");
        Files.writeString(dir.resolve("day2/p03.webm"), "v");
        assertEquals(List.of(dir.resolve("day1/cam/p01.mp4"), dir.resolve("day1/p02.MOV"),
                dir.resolve("day2/p03.webm")), PredictCommand.videos(List.of(dir.toString())));
        assertEquals(List.of(dir.resolve("day1/p02.MOV")), PredictCommand.videos(List.of(
                dir.resolve("day1/p02.MOV").toString(), dir.resolve("day1/p02.MOV").toString())));
        assertEquals(dir.resolve("out/p02.csv"), PredictCommand.csvOf(dir.resolve("out"), dir.resolve("day1/p02.MOV")));
        Files.writeString(dir.resolve("day2/p01.mkv"), "v");
        UsageException twice = assertThrows(UsageException.class,
                () -> PredictCommand.videos(List.of(dir.toString())));
        assertTrue(twice.getMessage().contains("would both write p01.csv"), twice.getMessage());
        assertTrue(assertThrows(UsageException.class, () -> PredictCommand.videos(List.of(dir.resolve("none")
                .toString()))).getMessage().startsWith("predict: no such file or folder"));
        Files.createDirectories(dir.resolve("empty"));
        assertTrue(assertThrows(UsageException.class, () -> PredictCommand.videos(List.of(dir.resolve("empty")
                .toString()))).getMessage().startsWith("predict: no video (avi, m4v, mkv, mov, mp4, webm) in folder"));
        assertEquals(2, Main.run(new String[] {"predict"}));
        assertEquals(2, Main.run(new String[] {"predict", dir.resolve("day2/p03.webm").toString(), "--fps", "0"}));
        assertEquals(2, Main.run(new String[] {"predict", dir.resolve("day2/p03.webm").toString(), "--format", "x"}));
    }

    @Test
    void aJobWhoseProgressStopsEndsTheWaitWithWhatItLastSaid() throws InterruptedException {
        Stall stall = new Stall("training t-1", java.time.Duration.ofMillis(200));
        for (int i = 0; i < 5; i++) {
            stall.seen("running, epoch " + i); // progress: never a stall however long it takes
            Thread.sleep(60);
        }
        stall.seen("running, epoch 4");
        Thread.sleep(250);
        UsageException e = assertThrows(UsageException.class, () -> stall.seen("running, epoch 4"));
        assertTrue(e.getMessage().startsWith("gave up waiting for training t-1: no progress for 0 s (last seen: "
                + "running, epoch 4)"), e.getMessage());
    }

    @Test
    void unknownCommandsAndBadSizesExitWithUsage() {
        assertEquals(2, Main.run(new String[] {"fly"}));
        assertEquals(0, Main.run(new String[] {"prepare_data", "--help"})); // the seed's name for ingest
        assertEquals(Main.find("ingest"), Main.find("prepare_data"));
        assertEquals(Main.COMMANDS.size(), Main.COMMANDS.stream().map(Main.Command::name).distinct().count());
        assertEquals(2, Main.run(new String[] {"synth", "--size", "big"}));
        assertEquals(2, Main.run(new String[] {"synth", "--participants", "0"}));
    }

    @Test
    void aCrossValidationShowsItsRunningFoldsEpochAndCountsEveryFoldsSteps() throws IOException {
        com.fasterxml.jackson.databind.JsonNode trainings = dev.emotion.core.contract.Contracts.mapper().readTree("""
                {"cv-x-p01": {"state": "completed", "epoch": 7, "epochs": 7, "step": 70},
                 "cv-x-p02": {"state": "running", "epoch": 3, "epochs": 7, "step": 31},
                 "cv-y-p01": {"state": "running", "epoch": 5, "epochs": 9, "step": 50},
                 "t-1": {"state": "running", "epoch": 2, "epochs": 4, "step": 20}}
                """);
        assertEquals(", epoch 3/7", CrossValidateCommand.runningFoldEpoch(trainings, "cv-x"));
        assertEquals(101, CrossValidateCommand.foldSteps(trainings, "cv-x"));
        assertEquals("", CrossValidateCommand.runningFoldEpoch(trainings, "cv-z"), "no fold of it trains");
    }

    @Test
    void theDemoSummarisesAScoredVideoAndStopsOnAnErrorLine() throws IOException {
        var mapper = dev.emotion.core.contract.Contracts.mapper();
        DemoCommand.Summary summary = new DemoCommand.Summary();
        summary.add(mapper.readTree("{\"faces\": [{\"dominant\": \"joy\"}], \"latencyMs\": 12.0}"));
        summary.add(mapper.readTree("{\"faces\": [], \"latencyMs\": 3.0}"));
        summary.add(mapper.readTree("{\"faces\": [{\"dominant\": \"anger\"}], \"latencyMs\": 30.0}"));
        summary.add(mapper.readTree("{\"faces\": [{\"dominant\": \"joy\"}], \"latencyMs\": 14.0}"));
        assertEquals("4 frames scored, 3 with a face; dominant (EMA-smoothed): {joy=2, anger=1}; latency p50 14.0 ms"
                + " per frame", summary.toString());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> summary.add(mapper.readTree("{\"error\": \"the video cannot be decoded\"}")));
        assertEquals("video scoring failed: the video cannot be decoded", e.getMessage());
    }
}
