package dev.emotion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    void unknownCommandsAndBadSizesExitWithUsage() {
        assertEquals(2, Main.run(new String[] {"fly"}));
        assertEquals(2, Main.run(new String[] {"synth", "--size", "big"}));
        assertEquals(2, Main.run(new String[] {"synth", "--participants", "0"}));
    }
}
