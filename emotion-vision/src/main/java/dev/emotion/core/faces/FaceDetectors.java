package dev.emotion.core.faces;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/** Opens the MediaPipe detector when its model is available, else the Haar fallback, saying so loudly. */
public final class FaceDetectors {

    private static final Logger LOG = Logger.getLogger(FaceDetectors.class);
    public static final String MODEL_FILE = "face_detection_full_range.tflite";

    private FaceDetectors() {
    }

    /** Where the model is looked for: EMOTION_FACE_MODEL, else the cache that deploy/models/fetch-models.sh fills. */
    public static Path defaultModelPath() {
        String explicit = System.getenv("EMOTION_FACE_MODEL");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        return dev.emotion.core.ModelFiles.dir().resolve(MODEL_FILE);
    }

    public static FaceDetector open(Path model, float scoreThreshold, int minFaceSize) {
        if (model != null && Files.isRegularFile(model)) {
            try {
                return new MediaPipeFaceDetector(model, scoreThreshold, minFaceSize);
            } catch (RuntimeException e) {
                LOG.errorf("FACE DETECTOR FALLBACK: could not load %s (%s); using the Haar cascade, which misses "
                        + "turned faces. Re-fetch the model with deploy/models/fetch-models.sh", model, e.getMessage());
            }
        } else {
            LOG.errorf("FACE DETECTOR FALLBACK: no MediaPipe model at %s; using the Haar cascade, which misses "
                    + "turned faces. Fetch the model with deploy/models/fetch-models.sh or set EMOTION_FACE_MODEL",
                    model);
        }
        return new HaarFaceDetector(minFaceSize);
    }
}
