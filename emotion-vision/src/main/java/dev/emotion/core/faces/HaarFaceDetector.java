package dev.emotion.core.faces;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.equalizeHist;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.RectVector;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_objdetect.CascadeClassifier;

/**
 * The fallback detector: OpenCV's frontal-face Haar cascade, shipped inside the opencv jar. Slower than MediaPipe,
 * misses turned heads and finds false faces in clutter; used only when the MediaPipe model is unavailable.
 */
public final class HaarFaceDetector implements FaceDetector {

    public static final String NAME = "opencv-haar-frontalface";
    private static final String RESOURCE =
            "/org/bytedeco/opencv/linux-x86_64/share/opencv4/haarcascades/haarcascade_frontalface_default.xml";

    private final CascadeClassifier cascade;
    private final int minFaceSize;

    public HaarFaceDetector(int minFaceSize) {
        this.minFaceSize = Math.max(1, minFaceSize);
        Path file;
        try (InputStream in = HaarFaceDetector.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the opencv jar has no " + RESOURCE);
            }
            file = Files.createTempFile("haarcascade-", ".xml");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            file.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new IllegalStateException("cannot extract the Haar cascade: " + e.getMessage(), e);
        }
        cascade = new CascadeClassifier(file.toString());
        if (cascade.empty()) {
            throw new IllegalStateException("OpenCV could not load the Haar cascade " + file);
        }
    }

    @Override
    public List<Detection> detect(Mat bgr) {
        List<Detection> faces = new ArrayList<>();
        try (Mat gray = new Mat(); RectVector found = new RectVector()) {
            cvtColor(bgr, gray, COLOR_BGR2GRAY);
            equalizeHist(gray, gray);
            cascade.detectMultiScale(gray, found, 1.1, 5, 0, new Size(minFaceSize, minFaceSize), new Size());
            for (long i = 0; i < found.size(); i++) {
                Rect r = found.get(i);
                // The cascade has no confidence; 1.0 marks "found" and keypoints are unknown.
                faces.add(new Detection(r.x(), r.y(), r.width(), r.height(), 1f, new float[0]));
            }
        }
        return faces;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean fallback() {
        return true;
    }

    @Override
    public void close() {
        cascade.close();
    }
}
