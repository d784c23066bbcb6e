package dev.emotion.core.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emotion.core.contract.Emotion;
import dev.emotion.core.faces.Detection;
import dev.emotion.core.faces.FaceCropper;
import dev.emotion.core.faces.FaceDetector;
import dev.emotion.core.faces.FaceDetectors;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/**
 * Every emotion is visible: at intensity 0.6 the 64 px face crop (the ingest crop: detector box x 1.4) differs from
 * the same person's neutral face by at least 5 RMS (0-255), and contempt from joy by at least 3, for every identity
 * tried. Same pose, same noise, same crop box: only the expression differs.
 */
class ExpressionMarginTest {

    static final double INTENSITY = 0.6;

    @Test
    void everyEmotionAtSixTenthsIsClearlyVisibleOnEveryIdentity() {
        int identities = 8;
        Map<Emotion, Double> worst = new EnumMap<>(Emotion.class);
        double worstContemptVsJoy = Double.MAX_VALUE;
        List<String> rows = new ArrayList<>();
        try (FaceDetector detector = FaceDetectors.open(FaceDetectors.defaultModelPath(), 0.5f, 20)) {
            FaceCropper cropper = new FaceCropper(64, 1.4, 100);
            for (int i = 0; i < identities; i++) {
                Identity id = Identity.random("m" + i, new Random(1000 + i));
                FaceRenderer renderer = new FaceRenderer(320, 240, id, new Random(2000 + i));
                BufferedImage frame = renderer.newFrame();
                byte[] neutral = render(renderer, frame, null, detector, cropper, null);
                Detection box = lastBox;
                Map<Emotion, byte[]> crops = new EnumMap<>(Emotion.class);
                StringBuilder row = new StringBuilder(String.format("identity %d (expressivity %.2f):", i,
                        id.expressivity()));
                for (Emotion e : Emotion.values()) {
                    byte[] crop = render(renderer, frame, e, detector, cropper, box);
                    crops.put(e, crop);
                    double d = rms(neutral, crop);
                    worst.merge(e, d, Math::min);
                    row.append(String.format(" %s %.1f", e.label(), d));
                }
                double cj = rms(crops.get(Emotion.CONTEMPT), crops.get(Emotion.JOY));
                worstContemptVsJoy = Math.min(worstContemptVsJoy, cj);
                rows.add(row.append(String.format(", contempt-joy %.1f", cj)).toString());
            }
        }
        rows.forEach(System.out::println);
        System.out.println("worst RMS vs neutral at " + INTENSITY + ": " + worst + ", contempt vs joy "
                + String.format("%.1f", worstContemptVsJoy));
        assertEquals(Emotion.values().length, worst.size());
        worst.forEach((e, d) -> assertTrue(d >= 5, e.label() + " at " + INTENSITY + " differs from neutral by only "
                + String.format("%.2f", d) + " RMS"));
        assertTrue(worstContemptVsJoy >= 3, "contempt vs joy only " + worstContemptVsJoy + " RMS");
    }

    private Detection lastBox;

    /** Renders the expression frontally at t = 0 and returns the 64 px BGR crop at {@code box} (null: detect). */
    private byte[] render(FaceRenderer renderer, BufferedImage frame, Emotion emotion, FaceDetector detector,
                          FaceCropper cropper, Detection box) {
        double[] e = new double[Emotion.values().length];
        if (emotion != null) {
            e[emotion.ordinal()] = INTENSITY;
        }
        renderer.render(frame, ActionUnits.of(e, 0), FaceRenderer.Pose.FRONTAL, null, 0);
        byte[] px = ((DataBufferByte) frame.getRaster().getDataBuffer()).getData();
        try (BytePointer data = new BytePointer(px);
             Mat mat = new Mat(frame.getHeight(), frame.getWidth(), opencv_core.CV_8UC3, data)) {
            if (box == null) {
                List<Detection> found = detector.detect(mat);
                assertEquals(1, found.size(), "one face in the neutral frame");
                box = found.get(0);
                lastBox = box;
            }
            try (Mat crop = cropper.cropMat(mat, box)) {
                byte[] out = new byte[64 * 64 * 3];
                crop.data().get(out);
                return out;
            }
        }
    }

    static double rms(byte[] a, byte[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (a[i] & 0xFF) - (b[i] & 0xFF);
            sum += d * d;
        }
        return Math.sqrt(sum / a.length);
    }
}
