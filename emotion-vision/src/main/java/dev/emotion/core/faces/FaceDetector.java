package dev.emotion.core.faces;

import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/** Finds faces in a BGR frame. Implementations are not thread-safe: one instance per thread. */
public interface FaceDetector extends AutoCloseable {

    List<Detection> detect(Mat bgr);

    /** What ran, for manifests and logs, e.g. {@code mediapipe-full-range}. */
    String name();

    /** True when this is the fallback because the preferred model was unavailable. */
    boolean fallback();

    @Override
    void close();
}
