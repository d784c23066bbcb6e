package dev.emotion.core.training;

import dev.emotion.core.store.Sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emotion.core.contract.Architecture;
import dev.emotion.core.contract.Split;
import dev.emotion.core.models.ModelSpec;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Participant baselines: each face minus its person's mean face. A person seen in one frame becomes an empty input;
 * a person seen in two frames becomes two inputs that are each other's negative (x - (x+y)/2 = -(y - (x+y)/2)),
 * whoever the person is; a model without baselines sees the faces themselves.
 */
class ParticipantBaselineTest {

    @TempDir
    Path dir;

    @Test
    void eachInputIsTheFaceMinusItsPersonsMeanFace() {
        Sample a1 = sample("p01", "a1.png", new Scalar(40, 90, 200, 0), 10);
        Sample a2 = sample("p01", "a2.png", new Scalar(60, 70, 180, 0), 30);
        Sample b = sample("p02", "b.png", new Scalar(200, 200, 20, 0), 20);
        ModelSpec spec = ModelSpec.of(Architecture.CNN_SIMPLE);
        int n = 3 * spec.inputSize() * spec.inputSize();
        float[] with;
        float[] without;
        try (BatchLoader loader = new BatchLoader(List.of(a1, a2, b), spec, false, 1, true)) {
            with = loader.batches(0, 3, false).next().images();
        }
        try (BatchLoader loader = new BatchLoader(List.of(a1, a2, b), spec, false, 1, false)) {
            without = loader.batches(0, 3, false).next().images();
        }
        double lone = 0;
        double opposite = 0;
        double energy = 0;
        double raw = 0;
        for (int i = 0; i < n; i++) {
            lone = Math.max(lone, Math.abs(with[2 * n + i]));
            opposite = Math.max(opposite, Math.abs(with[i] + with[n + i]));
            energy += Math.abs(with[i]);
            raw += Math.abs(without[2 * n + i]);
        }
        assertTrue(lone < 0.02, "a person's only face minus their mean face is empty: " + lone);
        assertTrue(opposite < 0.03, "two faces of one person are opposite around their mean: " + opposite);
        assertTrue(energy / n > 0.05, "what differs between the two faces is kept: " + energy / n);
        assertTrue(raw / n > 0.3, "without baselines the face itself is the input: " + raw / n);
        assertEquals(2, MeanCrop.perVideo(List.of(a1, a2, b)).size(), "one baseline per participant video");
    }

    /** A 96 px crop: a filled background and a circle whose colour and size tell the frames apart. */
    private Sample sample(String participant, String file, Scalar colour, int radius) {
        Path png = dir.resolve(file);
        try (PointerScope scope = new PointerScope()) {
            Mat img = new Mat(96, 96, opencv_core.CV_8UC3, colour);
            opencv_imgproc.circle(img, new Point(48, 48), radius, new Scalar(255, 255, 255, 0), -1,
                    opencv_imgproc.LINE_8, 0);
            assertTrue(opencv_imgcodecs.imwrite(png.toString(), img));
        }
        return new Sample(participant + "/" + file, "job", participant, Split.TRAIN, png, 0, new float[7], 0.5f,
                participant + ".mp4", 0, null);
    }
}
