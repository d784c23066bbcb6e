package dev.emotion.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What the demo says about its recommended model on real people, on injected figures. */
class RealFaceCheckTest {

    static final RealFaceCheck.Row BASELINE = new RealFaceCheck.Row("m-base", "face_expression_baseline", 0.394,
            0.352, 0.448, 0.426);

    @Test
    void aRecommendationWorseThanNoTrainingIsCalledSo() {
        RealFaceCheck.Row resnet = new RealFaceCheck.Row("m-resnet", "resnet_pretrained", 0.290, 0.258, 0.318, 0.3);
        String v = RealFaceCheck.verdict(List.of(BASELINE, resnet), "m-resnet");
        assertTrue(v.startsWith("WORSE on real people than no training: m-resnet 0.290 [0.258, 0.318] vs the "
                + "zero-training baseline 0.394"), v);
        RealFaceCheck.Row close = new RealFaceCheck.Row("m-cnn", "cnn_simple", 0.40, 0.35, 0.45, 0.4);
        assertTrue(RealFaceCheck.verdict(List.of(BASELINE, close), "m-cnn").startsWith("not distinguishable"));
        RealFaceCheck.Row good = new RealFaceCheck.Row("m-vit", "vit_pretrained", 0.62, 0.58, 0.66, 0.6);
        assertTrue(RealFaceCheck.verdict(List.of(BASELINE, good), "m-vit").startsWith("better on real people"));
        assertTrue(RealFaceCheck.verdict(List.of(BASELINE, good), "").startsWith("no recommended model"));
    }
}
