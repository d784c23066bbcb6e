package dev.emotion.testkit;

import com.sun.net.httpserver.HttpServer;
import dev.emotion.core.contract.Architecture;
import dev.emotion.core.contract.Contract;
import dev.emotion.core.contract.Contracts;
import dev.emotion.core.contract.ModelTrained;
import dev.emotion.core.contract.Task;
import dev.emotion.core.contract.Topic;
import dev.emotion.core.training.TrainedModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Serves model artifacts over HTTP in the registry's format ({@code /api/v1/models/{id}/artifact}: a zip of
 * model.params + model.json) for services that download models, with freshly initialised parameters (how good a
 * model is does not matter to the download, load and scoring paths), and announces them on emotion.models.trained.
 */
public final class ArtifactServer implements AutoCloseable {

    private final HttpServer server;

    public ArtifactServer() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.start();
    }

    /** Builds and serves a model; {@code seed} makes different models of one architecture differ. */
    public String serve(String modelId, Architecture a, Task t, String studyId, long seed) {
        return serve(modelId, a, t, studyId, seed, false);
    }

    /**
     * As above; {@code participantBaseline}: the model says it was trained on participant baselines and carries a
     * cold-start baseline image (mid-grey), as training-service writes such a model.
     */
    public String serve(String modelId, Architecture a, Task t, String studyId, long seed,
                        boolean participantBaseline) {
        byte[] zip = artifact(modelId, a, t, studyId, seed, participantBaseline);
        server.createContext("/api/v1/models/" + modelId + "/artifact", x -> {
            x.getResponseHeaders().add("Content-Type", "application/zip");
            x.sendResponseHeaders(200, zip.length);
            x.getResponseBody().write(zip);
            x.close();
        });
        return url(modelId);
    }

    public String url(String modelId) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/models/" + modelId + "/artifact";
    }

    /** Publishes the model's ModelTrained event (as training-service does after a run). */
    public void announce(KafkaProbe kafka, String modelId, Architecture a, Task t, String studyId) {
        long params = a == Architecture.CNN_SIMPLE ? 1_818_696 : 10_902_152;
        kafka.send(Topic.MODELS_TRAINED.topicName(), modelId, Contracts.toJson(new ModelTrained(
                Contract.CURRENT_VERSION, modelId, "training-" + UUID.randomUUID(), studyId, a, t,
                Map.of("epochs", 1), url(modelId), Map.of("macro_f1", 0.2), params, params, Instant.now())));
    }

    static byte[] artifact(String modelId, Architecture a, Task t, String studyId, long seed,
                           boolean participantBaseline) {
        Map<String, byte[]> files = TrainedModel.untrained(modelId, a, t, seed, Map.of("studyId", studyId,
                "participantBaseline", participantBaseline));
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                z.putNextEntry(new ZipEntry(f.getKey()));
                z.write(f.getValue());
            }
            if (participantBaseline) {
                z.putNextEntry(new ZipEntry(dev.emotion.core.training.Trainer.BASELINE_FILE));
                z.write(greyPng());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return zip.toByteArray();
    }

    private static byte[] greyPng() {
        try (org.bytedeco.javacpp.PointerScope scope = new org.bytedeco.javacpp.PointerScope();
             org.bytedeco.opencv.opencv_core.Mat grey = new org.bytedeco.opencv.opencv_core.Mat(64, 64,
                     org.bytedeco.opencv.global.opencv_core.CV_8UC3,
                     new org.bytedeco.opencv.opencv_core.Scalar(128, 128, 128, 0));
             org.bytedeco.javacpp.BytePointer buf = new org.bytedeco.javacpp.BytePointer()) {
            org.bytedeco.opencv.global.opencv_imgcodecs.imencode(".png", grey, buf);
            byte[] out = new byte[(int) buf.limit()];
            buf.get(out);
            return out;
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
