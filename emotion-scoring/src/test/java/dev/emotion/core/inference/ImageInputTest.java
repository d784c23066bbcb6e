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
}
