package dev.emotion.core.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model artifacts downloaded from the registry are unpacked without leaving their folder or filling the disk. */
class ArtifactUnzipTest {

    @TempDir
    Path tmp;

    static byte[] zip(String[] names, byte[][] contents) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (int i = 0; i < names.length; i++) {
                z.putNextEntry(new ZipEntry(names[i]));
                z.write(contents[i]);
                z.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void aModelArtifactUnpacks() throws IOException {
        Path dir = tmp.resolve("model");
        TrainedModel.unzip(new ByteArrayInputStream(zip(new String[] {"model.params", "model.json"},
                new byte[][] {{1, 2, 3}, "{}".getBytes()})), dir);
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(dir.resolve("model.params")));
        assertTrue(Files.isRegularFile(dir.resolve("model.json")));
    }

    @Test
    void entriesThatLeaveTheFolderAreRefused() throws IOException {
        for (String evil : new String[] {"../evil.txt", "../../etc/cron.d/x", "/etc/passwd", "sub/model.json",
                "..\\\\evil.txt", ".."}) {
            Path dir = tmp.resolve("m" + Math.abs(evil.hashCode()));
            IOException e = assertThrows(IOException.class, () -> TrainedModel.unzip(new ByteArrayInputStream(
                    zip(new String[] {evil}, new byte[][] {{1}})), dir), evil);
            assertTrue(e.getMessage().contains("is not a plain file name"), e.getMessage());
        }
        assertFalse(Files.exists(tmp.resolve("evil.txt")));
    }

    @Test
    void aZipBombStopsAtTheCapAndLeavesNoPartialFile() throws IOException {
        byte[] zeros = new byte[3 << 20]; // 3 MB of zeros: a few KB compressed
        byte[] bomb = zip(new String[] {"model.params"}, new byte[][] {zeros});
        assertTrue(bomb.length < 64 << 10, "compressed " + bomb.length);
        Path dir = tmp.resolve("bomb");
        IOException e = assertThrows(IOException.class, () -> TrainedModel.unzip(new ByteArrayInputStream(bomb), dir,
                1 << 20));
        assertTrue(e.getMessage().contains("more than 1048576 bytes"), e.getMessage());
        try (var files = Files.list(dir)) {
            assertTrue(files.findAny().isEmpty(), "nothing left behind");
        }
        byte[][] many = new byte[TrainedModel.MAX_ENTRIES + 1][];
        String[] names = new String[many.length];
        for (int i = 0; i < many.length; i++) {
            many[i] = new byte[] {(byte) i};
            names[i] = "f" + i;
        }
        e = assertThrows(IOException.class, () -> TrainedModel.unzip(new ByteArrayInputStream(zip(names, many)),
                tmp.resolve("many")));
        assertTrue(e.getMessage().contains("more than " + TrainedModel.MAX_ENTRIES + " files"), e.getMessage());
    }
}
