package dev.emotion.core.faces;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emotion.core.TestFiles;
import dev.emotion.core.contract.ImageBytes;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

class FacePipelineTest {

    @Test
    void tracksFacesThroughARealVideoWithStableIdsAndSquareJpegCrops() {
        List<FrameFaces> frames = new ArrayList<>();
        FacePipeline.Result result;
        try (FaceDetector detector = FaceDetectors.open(FaceDetectors.defaultModelPath(), 0.5f, 20)) {
            result = new FacePipeline(detector, FacePipeline.Options.DEFAULT).run(
                    TestFiles.testdata("Megamind.avi"), frames::add);
        }
        assertEquals(270, result.framesSampled(), "23.976 fps is under the 30 fps cap: every frame");
        assertEquals(frames.size(), result.framesSampled());
        long withFaces = frames.stream().filter(f -> !f.faces().isEmpty()).count();
        System.out.printf("Megamind.avi: faces in %d of %d frames, %d crops%n", withFaces, frames.size(),
                result.faces());
        assertTrue(withFaces > frames.size() / 2, "the cartoon face is found in most frames: " + withFaces);

        // Consecutive frames keep the face's id (the tracker), except across cuts.
        int kept = 0;
        int pairs = 0;
        for (int i = 1; i < frames.size(); i++) {
            if (frames.get(i).faces().size() == 1 && frames.get(i - 1).faces().size() == 1) {
                pairs++;
                kept += frames.get(i).faces().get(0).faceId() == frames.get(i - 1).faces().get(0).faceId() ? 1 : 0;
            }
        }
        assertTrue(kept >= pairs * 0.9, kept + " of " + pairs + " consecutive pairs keep the id");

        FaceCrop crop = frames.stream().flatMap(f -> f.faces().stream()).findFirst().orElseThrow();
        assertTrue(ImageBytes.isJpeg(crop.jpeg()));
        try (BytePointer bytes = new BytePointer(crop.jpeg()); Mat buf = new Mat(1, crop.jpeg().length,
                org.bytedeco.opencv.global.opencv_core.CV_8UC1, bytes); Mat img = imdecode(buf, IMREAD_COLOR)) {
            assertEquals(224, img.cols());
            assertEquals(224, img.rows());
        }
    }

    @Test
    void trackerKeepsIdsForOverlappingBoxesAndNeverReusesThem() {
        IouTracker t = new IouTracker(0.3f, 2);
        Detection a = new Detection(0, 0, 100, 100, 0.9f, new float[0]);
        Detection b = new Detection(300, 0, 100, 100, 0.9f, new float[0]);
        int[] first = t.assign(List.of(a, b));
        int[] second = t.assign(List.of(new Detection(310, 5, 100, 100, 0.9f, new float[0]),
                new Detection(5, 5, 100, 100, 0.9f, new float[0])));
        assertEquals(first[1], second[0]);
        assertEquals(first[0], second[1]);
        t.assign(List.of());
        t.assign(List.of());
        t.assign(List.of());
        int[] later = t.assign(List.of(a));
        assertTrue(later[0] > Math.max(first[0], first[1]), "an ended track's id is not reused");
    }
}
