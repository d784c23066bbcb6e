package dev.emotion.core.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/** The checks an uploaded image passes before OpenCV decodes it (inputs from src/test/resources/fuzz). */
class ImageInputTest {

    static final Path INPUTS = Path.of("src/test/resources/fuzz/ImageInputFuzzer");

    @Test
    void aValidPngAndJpegDecode() throws Exception {
        for (String name : new String[] {"seed.png", "seed.jpg"}) {
            try (Mat m = ImageInput.decode(Files.readAllBytes(INPUTS.resolve(name)), 4_000_000, 2_000_000)) {
                assertEquals(12, m.cols(), name);
                assertEquals(10, m.rows(), name);
            }
        }
    }

    /**
     * Found by fuzzing: a 287-byte PNG whose IDAT chunk claims 4 GB made OpenCV allocate 4 GB and spend 22 s; such a
     * file is refused before decoding, saying which chunk lies.
     */
    @Test
    void aPngChunkLongerThanTheFileIsRefusedBeforeDecoding() throws Exception {
        ImageInput.BadImage e = assertThrows(ImageInput.BadImage.class, () -> ImageInput.decode(
                Files.readAllBytes(INPUTS.resolve("crash-png-idat-claims-4gb")), 4_000_000, 2_000_000));
        assertTrue(e.getMessage().contains("chunk IDAT at byte 33 claims 4294967076 bytes"), e.getMessage());
        e = assertThrows(ImageInput.BadImage.class, () -> ImageInput.decode(
                Files.readAllBytes(INPUTS.resolve("crash-png-chunk-claims-16mb")), 4_000_000, 2_000_000));
        assertTrue(e.getMessage().startsWith("the PNG is damaged"), e.getMessage());
        byte[] seed = Files.readAllBytes(INPUTS.resolve("seed.png"));
        byte[] truncated = java.util.Arrays.copyOf(seed, seed.length - 12); // IEND cut off
        e = assertThrows(ImageInput.BadImage.class, () -> ImageInput.decode(truncated, 4_000_000, 2_000_000));
        assertTrue(e.getMessage().contains("no IEND chunk"), e.getMessage());
    }

    /**
     * Found by fuzzing (the suite's 10 s run, 2026-12-01): a 146-byte PNG whose IEND claims 58 bytes, followed by a
     * second PNG whose "IEND" claims 1.97 GB; OpenCV read past the first IEND and the fuzzer ran out of memory. An
     * IEND with data is refused; bytes after a good IEND are never handed to OpenCV.
     */
    @Test
    void nothingAfterIendReachesTheDecoder() throws Exception {
        ImageInput.BadImage e = assertThrows(ImageInput.BadImage.class, () -> ImageInput.decode(
                Files.readAllBytes(INPUTS.resolve("oom-png-chunk-after-iend-claims-2gb")), 4_000_000, 2_000_000));
        assertTrue(e.getMessage().contains("the IEND chunk at byte 33 claims 58 bytes"), e.getMessage());
        byte[] seed = Files.readAllBytes(INPUTS.resolve("seed.png"));
        byte[] lie = {0x75, 0x75, 0x75, 0x75, 'I', 'E', 'N', 'D', 0, 0, 0, 0}; // a 1.97 GB "chunk" after the end
        byte[] trailing = java.util.Arrays.copyOf(seed, seed.length + lie.length);
        System.arraycopy(lie, 0, trailing, seed.length, lie.length);
        assertEquals(seed.length, ImageInput.pngChunks(trailing).end());
        try (Mat m = ImageInput.decode(trailing, 4_000_000, 2_000_000)) {
            assertEquals(12, m.cols(), "the image before the trailing bytes decodes");
        }
    }
}
