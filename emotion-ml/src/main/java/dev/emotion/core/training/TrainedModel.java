package dev.emotion.core.training;

import dev.emotion.core.models.Backbone;
import dev.emotion.core.models.EmotionNet;
import dev.emotion.core.models.ModelSpec;

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
import dev.emotion.core.FileNames;
import dev.emotion.core.metrics.Probabilities;
import dev.emotion.core.training.BatchLoader;
import dev.emotion.core.training.Trainer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
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

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    private final String modelId;
    private final Architecture architecture;
    private final ModelSpec spec;
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
    private final boolean participantBaseline;
    private final dev.emotion.core.training.MeanCrop globalBaseline;
    private final float[] globalBaselineInput; // the cold-start baseline as model input, computed once

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
        Backbone backbone = Backbone.defaultFor(architecture);
        String backboneId = description.path("backbone").asText("");
        if (!backboneId.isBlank() && architecture.trained()) {
            try {
                backbone = Backbone.parse(backboneId, architecture);
            } catch (IllegalArgumentException e) {
                throw new IOException(json + ": " + e.getMessage(), e);
            }
        }
        spec = ModelSpec.of(architecture, backbone); // model.json repeats these for other readers; one source here
        inputSize = spec.inputSize();
        mean = spec.mean();
        std = spec.std();
        labels = EmotionNet.labels(task);
        sizeBytes = Files.size(params);
        participantBaseline = description.path("participantBaseline").asBoolean(false)
                || description.path("config").path("participantBaseline").asBoolean(false);
        Path baselinePng = dir.resolve(Trainer.BASELINE_FILE);
        globalBaseline = participantBaseline && Files.isRegularFile(baselinePng)
                ? dev.emotion.core.training.MeanCrop.read(baselinePng) : null;
        globalBaselineInput = globalBaseline == null ? null : input(globalBaseline);
        manager = Engine.getEngine("PyTorch").newBaseManager();
        try {
            net = EmotionNet.build(spec, task);
            net.initialize(manager, 1);
            Trainer.loadParameters(net, manager, params);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw new IOException(params + " does not hold parameters of " + architecture.id() + "/" + task.id()
                    + ": " + e.getMessage(), e);
        }
        store = new ParameterStore(manager, false);
    }

    /**
     * The part of {@code model.json} every model directory carries, as {@link #open} reads it back: id,
     * architecture, backbone (pretrained ones), task, input size, normalisation and output labels. Writers add
     * their own fields (config, metrics).
     */
    public static java.util.Map<String, Object> description(String modelId, ModelSpec spec, Task task) {
        java.util.Map<String, Object> d = new java.util.LinkedHashMap<>();
        d.put("modelId", modelId);
        d.put("architecture", spec.architecture().id());
        if (spec.backbone() != null) {
            d.put("backbone", spec.backbone().id());
        }
        d.put("task", task.id());
        d.put("inputSize", spec.inputSize());
        d.put("mean", spec.mean());
        d.put("std", spec.std());
        d.put("labels", EmotionNet.labels(task));
        return d;
    }

    /**
     * The two files of a model that was initialised and never trained ({@code model.params}, {@code model.json}):
     * for tests and for benchmarks whose speed does not depend on the weights. {@code config} goes into model.json.
     */
    public static java.util.Map<String, byte[]> untrained(String modelId, Architecture a, Task t, long seed,
                                                         java.util.Map<String, Object> config) {
        java.io.ByteArrayOutputStream params = new java.io.ByteArrayOutputStream();
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            Engine.getEngine("PyTorch").setRandomSeed((int) seed);
            EmotionNet net = EmotionNet.build(a, t);
            net.initialize(m, 1);
            net.saveParameters(new java.io.DataOutputStream(params));
            java.util.Map<String, Object> d = description(modelId, ModelSpec.of(a), t);
            d.put("config", config);
            java.util.Map<String, byte[]> files = new java.util.LinkedHashMap<>();
            files.put("model.params", params.toByteArray());
            files.put("model.json", Contracts.mapper().writeValueAsBytes(d));
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads a model directory. */
    public static TrainedModel open(Path dir) {
        try {
            return new TrainedModel(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /**
     * The model directory of {@code modelId} under {@code cacheDir}, downloaded once from the registry's artifact
     * URL (a zip, as {@code GET /api/v1/models/{id}/artifact} serves it) and unpacked atomically.
     */
    public static Path download(String modelId, String artifactUrl, Path cacheDir) throws IOException {
        Path target = cacheDir.resolve(FileNames.safe(modelId));
        if (Files.isRegularFile(target.resolve("model.params")) && Files.isRegularFile(target.resolve("model.json"))) {
            return target;
        }
        Files.createDirectories(cacheDir);
        try {
            HttpResponse<InputStream> resp = HTTP.send(HttpRequest.newBuilder(URI.create(artifactUrl))
                    .timeout(Duration.ofMinutes(5)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = resp.body()) {
                if (resp.statusCode() != 200) {
                    throw new IOException("GET " + artifactUrl + " answered " + resp.statusCode()
                            + ": is training-service up and does it still hold model " + modelId + "?");
                }
                Path tmp = cacheDir.resolve(target.getFileName() + ".download-" + UUID.randomUUID());
                unzip(body, tmp);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while downloading " + artifactUrl, e);
        } catch (java.net.ConnectException e) {
            throw new IOException("cannot reach " + artifactUrl + " (is training-service up?)", e);
        }
        return target;
    }

    /** The most an artifact may hold unpacked (ViT-B/16's fp32 parameters are 344 MB). */
    public static final long MAX_UNPACKED_BYTES = 2L << 30;
    /** The most files an artifact may hold (model.params, model.json, the participant baseline, a few more). */
    public static final int MAX_ENTRIES = 16;

    /** Unpacks the registry's zip (as served by {@code GET /api/v1/models/{id}/artifact}) into {@code dir}. */
    public static Path unzip(InputStream zip, Path dir) throws IOException {
        return unzip(zip, dir, MAX_UNPACKED_BYTES);
    }

    /**
     * Unpacks a model artifact: plain file names only (no folder, no path that could leave {@code dir}: zip-slip),
     * at most {@link #MAX_ENTRIES} files and {@code maxBytes} unpacked in all (a zip bomb stops at the cap, its
     * partial file removed).
     */
    static Path unzip(InputStream zip, Path dir, long maxBytes) throws IOException {
        return new dev.emotion.core.SafeZip("model artifact", false, MAX_ENTRIES, maxBytes).unzip(zip, dir);
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

    /** Whether {@link #gradCam} is available (convolutional backbones). */
    public boolean hasGradCam() {
        return net.hasConvFeatures();
    }

    /** Grad-CAM maps (h x w each, row-major) of {@code n} normalised images for output {@code targets[i]}. */
    public float[][] gradCam(float[] images, int n, int[] targets) {
        try (NDManager call = manager.newSubManager()) {
            NDArray x = call.create(FloatBuffer.wrap(images), new Shape(n, 3, inputSize, inputSize));
            return net.gradCam(store, x, targets);
        }
    }

    /**
     * Normalised input for one BGR face crop, written at image slot {@code slot} of {@code batch}. A model trained
     * with participant baselines gets the crop minus the training faces' mean (a face with no history).
     */
    public void prepare(Mat bgrCrop, float[] batch, int slot) {
        prepare(bgrCrop, globalBaseline, batch, slot);
    }

    /** As above, minus {@code baseline} (the face's own running mean) when the model uses baselines. */
    public void prepare(Mat bgrCrop, dev.emotion.core.training.MeanCrop baseline, float[] batch, int slot) {
        int offset = slot * 3 * inputSize * inputSize;
        BatchLoader.toChw(bgrCrop, inputSize, mean, std, 1, 0, batch, offset);
        if (!participantBaseline || baseline == null) {
            return;
        }
        float[] theirs = baseline == globalBaseline ? globalBaselineInput : input(baseline);
        for (int i = 0; i < theirs.length; i++) {
            batch[offset + i] -= theirs[i];
        }
    }

    /**
     * The baseline a face gets before it is warm (the training faces' mean, {@link Trainer#BASELINE_FILE}); null when
     * the model uses no baselines or its directory has none.
     */
    public dev.emotion.core.training.MeanCrop coldStartBaseline() {
        return globalBaseline;
    }

    /** A mean crop as normalised model input (resized straight to the input size, as a crop is). */
    private float[] input(dev.emotion.core.training.MeanCrop baseline) {
        float[] out = new float[3 * inputSize * inputSize];
        try (org.bytedeco.javacpp.PointerScope scope = new org.bytedeco.javacpp.PointerScope()) {
            BatchLoader.toChw(baseline.mat(baseline.width(), baseline.height()), inputSize, mean, std, 1, 0, out, 0);
        }
        return out;
    }

    /** Whether inputs are faces minus their person's mean face (the model was trained so). */
    public boolean participantBaseline() {
        return participantBaseline;
    }

    /**
     * Per-sample outputs as the task means them: softmax over classes, sigmoid per label, expression or attention
     * score; an affect model's row holds each head's (see {@link Probabilities#of}).
     */
    public double[][] probabilities(Scores s) {
        return Probabilities.of(task, Probabilities.rows(s.values(), s.count()));
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

    /** Input size, normalisation and backbone the model was built with. */
    public ModelSpec spec() {
        return spec;
    }

    public int inputSize() {
        return inputSize;
    }

    /** Output names, in output order (see {@link EmotionNet#labels}). */
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
}
