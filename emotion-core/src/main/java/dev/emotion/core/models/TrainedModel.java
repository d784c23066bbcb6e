package dev.emotion.core.models;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import dev.emotion.core.contract.Architecture;
import dev.emotion.core.contract.Contracts;
import dev.emotion.core.contract.Task;
import dev.emotion.core.training.BatchLoader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * A registered model loaded for scoring: the model directory the training service serves ({@code model.json} +
 * {@code model.params}), its architecture rebuilt in DJL and its parameters loaded. Each call scores in its own
 * sub-manager (DJL attaches outputs to the input's manager), so repeated calls do not grow memory. Thread-safe for
 * concurrent forward passes (inference only, no gradients).
 */
public final class TrainedModel implements AutoCloseable {

    /** Raw head outputs (n x outputs, row-major) and, when asked, ViT attention per block [block][n][heads][N][N]. */
    public record Scores(int count, int outputs, float[] values, double[][][][][] attention) {
    }

    private final String modelId;
    private final Architecture architecture;
    private final Task task;
    private final int inputSize;
    private final float[] mean;
    private final float[] std;
    private final List<String> labels;
    private final JsonNode description;
    private final NDManager manager;
    private final EmotionNet net;
    private final ParameterStore store;
    private final long sizeBytes;

    private TrainedModel(Path dir) throws IOException {
        Path json = dir.resolve("model.json");
        Path params = dir.resolve("model.params");
        if (!Files.isRegularFile(json) || !Files.isRegularFile(params)) {
            throw new IOException(dir + " is not a model directory: it needs model.json and model.params");
        }
        description = Contracts.mapper().readTree(json.toFile());
        modelId = description.path("modelId").asText(dir.getFileName().toString());
        try {
            architecture = Architecture.valueOf(description.path("architecture").asText().toUpperCase(Locale.ROOT));
            task = Task.valueOf(description.path("task").asText().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IOException(json + ": unknown architecture '" + description.path("architecture").asText()
                    + "' or task '" + description.path("task").asText() + "'", e);
        }
        inputSize = description.path("inputSize").asInt(ModelSpec.of(architecture).inputSize());
        mean = floats(description.path("mean"), ModelSpec.of(architecture).mean());
        std = floats(description.path("std"), ModelSpec.of(architecture).std());
        List<String> l = new ArrayList<>();
        description.path("labels").forEach(n -> l.add(n.asText()));
        labels = l.isEmpty() ? EmotionNet.labels(task) : List.copyOf(l);
        sizeBytes = Files.size(params);
        manager = Engine.getEngine("PyTorch").newBaseManager();
        try {
            net = EmotionNet.build(architecture, task);
            net.initialize(manager, 1);
            try (DataInputStream is = new DataInputStream(Files.newInputStream(params))) {
                net.loadParameters(manager, is);
            }
        } catch (ai.djl.MalformedModelException | RuntimeException e) {
            manager.close();
            throw new IOException(params + " does not hold parameters of " + architecture.id() + "/" + task.id()
                    + ": " + e.getMessage(), e);
        }
        store = new ParameterStore(manager, false);
    }

    /** Loads a model directory. */
    public static TrainedModel open(Path dir) {
        try {
            return new TrainedModel(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** Unpacks the registry's zip (as served by {@code GET /api/v1/models/{id}/artifact}) into {@code dir}. */
    public static Path unzip(InputStream zip, Path dir) throws IOException {
        Files.createDirectories(dir);
        try (ZipInputStream in = new ZipInputStream(zip)) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                Path target = dir.resolve(e.getName()).normalize();
                if (!target.startsWith(dir.normalize()) || e.isDirectory()) {
                    throw new IOException("model artifact entry '" + e.getName() + "' is not a plain file name");
                }
                Path tmp = target.resolveSibling(target.getFileName() + ".part");
                Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return dir;
    }

    /**
     * Scores {@code n} images already normalised for this model (n x 3 x s x s). With {@code withAttention}, ViT
     * models also return every block's attention probabilities.
     */
    public Scores score(float[] images, int n, boolean withAttention) {
        try (NDManager call = manager.newSubManager()) {
            NDArray x = call.create(FloatBuffer.wrap(images), new Shape(n, 3, inputSize, inputSize));
            NDList out = net.forward(store, new NDList(x), false);
            float[] values = out.get(0).toFloatArray();
            double[][][][][] attention = null;
            if (withAttention && out.size() > 1) {
                attention = new double[out.size() - 1][][][][];
                for (int b = 1; b < out.size(); b++) {
                    NDArray a = out.get(b);
                    long[] s = a.getShape().getShape();
                    float[] v = a.toFloatArray();
                    int heads = (int) s[1];
                    int tokens = (int) s[2];
                    double[][][][] block = new double[n][heads][tokens][tokens];
                    int at = 0;
                    for (int i = 0; i < n; i++) {
                        for (int h = 0; h < heads; h++) {
                            for (int r = 0; r < tokens; r++) {
                                for (int c = 0; c < tokens; c++) {
                                    block[i][h][r][c] = v[at++];
                                }
                            }
                        }
                    }
                    attention[b - 1] = block;
                }
            }
            return new Scores(n, values.length / n, values, attention);
        }
    }

    /** Normalised input for one BGR face crop, written at image slot {@code slot} of {@code batch}. */
    public void prepare(Mat bgrCrop, float[] batch, int slot) {
        BatchLoader.toChw(bgrCrop, inputSize, mean, std, 1, 0, batch, slot * 3 * inputSize * inputSize);
    }

    /** Per-sample probabilities: softmax over classes, sigmoid per label or for the attention score. */
    public double[][] probabilities(Scores s) {
        double[][] out = new double[s.count()][s.outputs()];
        for (int i = 0; i < s.count(); i++) {
            int o = i * s.outputs();
            if (task == Task.EMOTION_CLASS) {
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < s.outputs(); k++) {
                    max = Math.max(max, s.values()[o + k]);
                }
                double sum = 0;
                for (int k = 0; k < s.outputs(); k++) {
                    out[i][k] = Math.exp(s.values()[o + k] - max);
                    sum += out[i][k];
                }
                for (int k = 0; k < s.outputs(); k++) {
                    out[i][k] /= sum;
                }
            } else {
                for (int k = 0; k < s.outputs(); k++) {
                    out[i][k] = 1 / (1 + Math.exp(-s.values()[o + k]));
                }
            }
        }
        return out;
    }

    public String modelId() {
        return modelId;
    }

    public Architecture architecture() {
        return architecture;
    }

    public Task task() {
        return task;
    }

    public int inputSize() {
        return inputSize;
    }

    /** Output names: the 8 dominant classes, the 7 emotions, or "attention". */
    public List<String> labels() {
        return labels;
    }

    public JsonNode description() {
        return description;
    }

    public long sizeBytes() {
        return sizeBytes;
    }

    public long parameterCount(boolean trainableOnly) {
        return net.parameterCount(trainableOnly);
    }

    public boolean isVit() {
        return net.isVit();
    }

    @Override
    public void close() {
        manager.close();
    }

    private static float[] floats(JsonNode n, float[] fallback) {
        if (!n.isArray() || n.size() != 3) {
            return fallback;
        }
        return new float[] {(float) n.get(0).asDouble(), (float) n.get(1).asDouble(), (float) n.get(2).asDouble()};
    }
}
