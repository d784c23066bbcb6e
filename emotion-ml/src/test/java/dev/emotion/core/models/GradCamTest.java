package dev.emotion.core.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.emotion.core.contract.Architecture;
import dev.emotion.core.contract.Task;
import org.junit.jupiter.api.Test;

/**
 * Grad-CAM against its definition computed independently: channel weights from central finite differences of the
 * head's score with respect to the pooled features (dY/dA_cij = dY/dpooled_c / hw), map = relu(sum_c w_c A_c).
 */
class GradCamTest {

    @Test
    void cnnSimpleMapsMatchFiniteDifferencesOfTheHead() {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            Engine.getEngine("PyTorch").setRandomSeed(7);
            EmotionNet net = EmotionNet.build(Architecture.CNN_SIMPLE, Task.EMOTION_CLASS);
            net.initialize(m, 1);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.randomUniform(-1, 1, new Shape(1, 3, 64, 64));

            // the feature map the head's pooled input comes from
            NDList h = new NDList(x);
            var children = net.backbone().getChildren();
            for (int i = 0; i < children.size() - 1; i++) {
                h = children.get(i).getValue().forward(ps, h, false);
            }
            NDArray a = h.singletonOrThrow(); // (1, 512, 4, 4)
            float[] map = a.toFloatArray();
            float[] pooled = a.reshape(1, 512, -1).mean(new int[] {2}).toFloatArray();
            int nonTrivial = 0;
            for (int target = 0; target < 8; target++) {
                float[] cam = net.gradCam(ps, x, new int[] {target})[0];
                assertEquals(16, cam.length, "4 x 4 map at 64 px");
                double[] w = new double[512];
                double delta = 1e-2;
                for (int c = 0; c < 512; c++) {
                    w[c] = (score(net, ps, m, pooled, c, delta, target) - score(net, ps, m, pooled, c, -delta,
                            target)) / (2 * delta) / 16;
                }
                double max = 0;
                double diff = 0;
                for (int p = 0; p < 16; p++) {
                    double v = 0;
                    for (int c = 0; c < 512; c++) {
                        v += w[c] * map[c * 16 + p];
                    }
                    v = Math.max(0, v);
                    max = Math.max(max, v);
                    diff = Math.max(diff, Math.abs(v - cam[p]));
                    assertTrue(cam[p] >= 0, "relu");
                }
                nonTrivial += max > 0 ? 1 : 0;
                assertTrue(diff <= 1e-3 * Math.max(1e-3, max), "class " + target + ": Grad-CAM differs from finite "
                        + "differences by " + diff + " (map max " + max + ")");
            }
            assertTrue(nonTrivial >= 1, "at least one class has a non-trivial map");
        }
    }

    private static double score(EmotionNet net, ParameterStore ps, NDManager m, float[] pooled, int c, double d,
                                int target) {
        float[] p = pooled.clone();
        p[c] += (float) d;
        return net.head().forward(ps, new NDList(m.create(p, new Shape(1, p.length))), false).singletonOrThrow()
                .toFloatArray()[target];
    }

    @Test
    void faceBackbonesGiveTheirLastFeatureMap() {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            for (Backbone b : new Backbone[] {Backbone.FACE_EXPRESSION, Backbone.RESNET34_FACES}) {
                EmotionNet net = EmotionNet.build(ModelSpec.of(Architecture.RESNET_PRETRAINED, b), Task.EMOTION_CLASS);
                net.initialize(m, 2);
                NDArray x = m.randomUniform(-1, 1, new Shape(2, 3, b.inputSize(), b.inputSize()));
                float[][] cams = net.gradCam(new ParameterStore(m, false), x, new int[] {0, 5});
                assertEquals(2, cams.length);
                assertEquals(b == Backbone.FACE_EXPRESSION ? 49 : 4, cams[0].length, b.id());
            }
            EmotionNet vit = EmotionNet.build(Architecture.VIT_SCRATCH, Task.EMOTION_CLASS);
            assertTrue(!vit.hasConvFeatures(), "ViTs get attention maps instead");
        }
    }
}
