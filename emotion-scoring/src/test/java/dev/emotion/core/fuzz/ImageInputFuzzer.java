package dev.emotion.core.fuzz;

import dev.emotion.core.inference.ImageInput;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Images sent for scoring (JPEG or PNG bytes): decoded within the pixel and byte limits, or refused with
 * {@link ImageInput.BadImage} saying why.
 */
public final class ImageInputFuzzer {

    private ImageInputFuzzer() {
    }

    public static void fuzzerTestOneInput(byte[] data) {
        try {
            try (Mat m = ImageInput.decode(data, 4_000_000L, 2_000_000)) {
                m.cols();
            }
        } catch (ImageInput.BadImage e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError("a refusal without a reason", e);
            }
        }
    }
}
