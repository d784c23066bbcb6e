package dev.emotion.core.models.weights;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import dev.emotion.core.models.FaceExpressionNet;
import dev.emotion.core.models.FaceRecognitionResNet;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java import of face-api's networks against the original: deploy/parity/faceapi_reference.js ran the TFJS
 * networks (WASM backend) on the same two inputs and its outputs are committed; the model files are the ones
 * deploy/models/fetch-models.sh installs (sha256-verified).
 */
class FaceApiParityTest {

    @TempDir
    Path dir;

    static Path modelDir() {
        Path d = FaceApiLayouts.defaultDir();
        assertTrue(Files.isRegularFile(d.resolve(FaceApiLayouts.EXPRESSION_MANIFEST)), "face-api models missing in "
                + d + ": run deploy/models/fetch-models.sh (./emotion test does)");
        return d;
    }

    /** The reference's inputs: formula noise for the net's name, then the gradient image; NCHW, face-api's norm. */
    static float[] inputs(String name, int size) {
        float[] out = new float[2 * 3 * size * size];
        long k = DeterministicWeights.fnv1a(name);
        int plane = size * size;
        for (int p = 0; p < plane; p++) {
            int y = p / size;
            int x = p % size;
            for (int c = 0; c < 3; c++) {
                long i = (long) p * 3 + c;
                double noise = Math.floor(DeterministicWeights.u(k, i) * 256);
                double grad = switch (c) {
                    case 0 -> Math.floor(255.0 * x / (size - 1));
                    case 1 -> Math.floor(255.0 * y / (size - 1));
                    default -> (x * 7 + y * 13) % 256;
                };
                out[c * plane + p] = (float) noise / 255f - FaceExpressionNet.MEAN[c];
                out[3 * plane + c * plane + p] = (float) grad / 255f - FaceExpressionNet.MEAN[c];
            }
        }
        return out;
    }

    static double maxDiff(float[] got, JsonNode rows) {
        int width = rows.get(0).size();
        double d = 0;
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < width; c++) {
                d = Math.max(d, Math.abs(got[r * width + c] - rows.get(r).get(c).asDouble()));
            }
        }
        return d;
    }

    static float[] forward(Block net, NDManager m, float[] x, int size) {
        var in = m.create(FloatBuffer.wrap(x), new Shape(2, 3, size, size));
        return net.forward(new ParameterStore(m, false), new NDList(in), false).singletonOrThrow().toFloatArray();
    }

    @Test
    void expressionLogitsAndDescriptorsMatchTheOriginalNetworks() throws Exception {
        JsonNode ref = TorchvisionParityTest.reference("faceapi_reference");
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            FaceExpressionNet expression = new FaceExpressionNet(true);
            expression.initialize(m, DataType.FLOAT32, new Shape(2, 3, 112, 112));
            WeightImport.Report r = WeightImport.load(expression, TensorSource.of("expression",
                    TfjsWeights.read(modelDir().resolve(FaceApiLayouts.EXPRESSION_MANIFEST))),
                    FaceApiLayouts.expression());
            assertTrue(r.ignored().isEmpty(), r.summary());
            float[] logits = forward(expression, m, inputs("expression", 112), 112);
            double d = maxDiff(logits, ref.path("expression").path("logits"));
            System.out.printf("face_expression_model: %s; max |logit diff| %.2e%n", r.summary(), d);
            assertTrue(d <= 1e-4, "expression logits differ by " + d);

            FaceRecognitionResNet recognition = new FaceRecognitionResNet(true);
            recognition.initialize(m, DataType.FLOAT32, new Shape(2, 3, 150, 150));
            r = WeightImport.load(recognition, TensorSource.of("recognition",
                    TfjsWeights.read(modelDir().resolve(FaceApiLayouts.RECOGNITION_MANIFEST))),
                    FaceApiLayouts.recognition());
            assertTrue(r.ignored().isEmpty(), r.summary());
            float[] descriptor = forward(recognition, m, inputs("recognition", 150), 150);
            d = maxDiff(descriptor, ref.path("recognition").path("descriptor"));
            System.out.printf("face_recognition_model: %s; max |descriptor diff| %.2e%n", r.summary(), d);
            assertTrue(d <= 1e-4, "descriptors differ by " + d);
        }
    }

    @Test
    void aTruncatedBinOrAForeignManifestIsRefusedByName() throws Exception {
        Path src = modelDir();
        Files.copy(src.resolve(FaceApiLayouts.EXPRESSION_MANIFEST), dir.resolve(FaceApiLayouts.EXPRESSION_MANIFEST));
        byte[] bin = Files.readAllBytes(src.resolve("face_expression_model.bin"));
        Files.write(dir.resolve("face_expression_model.bin"), java.util.Arrays.copyOf(bin, bin.length - 100));
        var e = assertThrows(java.io.IOException.class,
                () -> TfjsWeights.read(dir.resolve(FaceApiLayouts.EXPRESSION_MANIFEST)));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("fc/"), e.getMessage());

        // the recognition weights offered to the expression net: every missing tensor is named
        Map<String, Tensor> foreign = new LinkedHashMap<>(TfjsWeights.read(src.resolve(
                FaceApiLayouts.RECOGNITION_MANIFEST)));
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            FaceExpressionNet expression = new FaceExpressionNet(true);
            expression.initialize(m, DataType.FLOAT32, new Shape(1, 3, 112, 112));
            var ex = assertThrows(WeightImportException.class, () -> WeightImport.load(expression,
                    TensorSource.of("recognition weights", foreign), FaceApiLayouts.expression()));
            assertTrue(ex.getMessage().contains("dense0/conv0/filters [3, 3, 3, 32]"), ex.getMessage());
        }
    }
}
