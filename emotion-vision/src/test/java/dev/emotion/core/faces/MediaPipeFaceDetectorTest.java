package dev.emotion.core.faces;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emotion.core.TestFiles;
import java.nio.file.Files;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

class MediaPipeFaceDetectorTest {

    @Test
    void findsTheFaceInARealPhoto() {
        assertTrue(Files.isRegularFile(FaceDetectors.defaultModelPath()),
                "run deploy/models/fetch-models.sh (./emotion test does)");
        try (FaceDetector detector = FaceDetectors.open(FaceDetectors.defaultModelPath(), 0.5f, 10);
             Mat photo = imread(TestFiles.testdata("messi5.jpg").toString())) {
            assertEquals(MediaPipeFaceDetector.NAME, detector.name());
            assertFalse(detector.fallback());
            List<Detection> faces = detector.detect(photo);
            System.out.println(photo.cols() + "x" + photo.rows() + " " + faces);
            assertFalse(faces.isEmpty());
        }
    }
}
