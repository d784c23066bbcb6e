package dev.emotion.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.emotion.core.contract.Contracts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code train}: queues a training on training-service and follows it epoch by epoch until it ends. */
final class TrainCommand {

    static final String HELP = """
            Usage: ./emotion train --study S --model cnn_simple|vit_scratch|resnet_pretrained|vit_pretrained
                                   [--task emotion_class|emotion_multilabel|attention_regression] [--epochs N]
                                   [--batch-size N] [--learning-rate X] [--grad-accum N] [--seed N]
                                   [--resume TRAINING_ID] [--allow-random-init] [--no-augment]
            Options: --url http://localhost:8082 (training-service), --api-key K (or EMOTION_API_KEY)
            Alias: train_model. Prints the model id when done.""";

    private TrainCommand() {
    }

    static int run(List<String> argv) throws Exception {
        Args a = new Args("train", argv, Set.of("study", "model", "task", "epochs", "batch-size", "learning-rate",
                "grad-accum", "seed", "resume", "url", "api-key"), Set.of("allow-random-init", "no-augment"));
        String url = a.get("url", System.getenv().getOrDefault("TRAINING_URL", "http://localhost:"
                + System.getenv().getOrDefault("TRAINING_PORT", "8082"))).replaceAll("/+$", "");
        String apiKey = a.get("api-key", System.getenv("EMOTION_API_KEY"));
        ObjectNode body = Contracts.mapper().createObjectNode();
        body.put("studyId", a.required("study"));
        body.put("model", a.required("model"));
        body.put("task", a.get("task", "emotion_class"));
        if (a.has("epochs")) {
            body.put("epochs", a.integer("epochs", 10));
        }
        if (a.has("batch-size")) {
            body.put("batchSize", a.integer("batch-size", 32));
        }
        if (a.has("grad-accum")) {
            body.put("gradAccum", a.integer("grad-accum", 1));
        }
        if (a.has("learning-rate")) {
            body.put("learningRate", a.number("learning-rate", 1e-3));
        }
        if (a.has("seed")) {
            body.put("seed", a.integer("seed", 42));
        }
        if (a.has("resume")) {
            body.put("resume", a.required("resume"));
        }
        body.put("allowRandomInit", a.flag("allow-random-init"));
        body.put("augment", !a.flag("no-augment"));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url + "/api/v1/trainings"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (apiKey != null && !apiKey.isBlank()) {
            req.header("X-API-Key", apiKey);
        }
        HttpResponse<String> resp;
        try {
            resp = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.net.ConnectException e) {
            throw new UsageException("train: training-service does not answer at " + url
                    + " (start the services with ./emotion up)");
        }
        JsonNode queued = Contracts.mapper().readTree(resp.body());
        if (resp.statusCode() != 202) {
            System.err.println("train: HTTP " + resp.statusCode() + ": " + queued.path("detail").asText(resp.body()));
            return 1;
        }
        String id = queued.path("trainingId").asText();
        int epochs = queued.path("epochs").asInt();
        System.err.println("train: " + id + " queued (" + body.get("model").asText() + ", "
                + body.get("task").asText() + ", " + epochs + " epochs)");
        ProgressBar bar = new ProgressBar(body.get("model").asText(), epochs, "epochs");
        int shown = -1;
        while (true) {
            Thread.sleep(1000);
            JsonNode p = Contracts.mapper().readTree(http.send(HttpRequest.newBuilder(URI.create(url
                    + "/api/v1/trainings/" + id)).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
            String state = p.path("state").asText();
            int epoch = p.path("epoch").asInt();
            if (state.equals("completed")) {
                bar.finish(epoch, note(p));
                System.out.println(p.path("message").asText());
                return 0;
            }
            if (state.equals("failed") || state.equals("cancelled")) {
                bar.finish(epoch, state);
                System.err.println("train: " + state + ": " + p.path("message").asText());
                return 1;
            }
            if (epoch != shown) {
                shown = epoch;
                bar.update(epoch, note(p));
            }
        }
    }

    private static String note(JsonNode p) {
        if (p.path("trainLoss").isMissingNode() || p.path("trainLoss").isNull()) {
            return p.path("message").asText("");
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "loss %.3f val %.3f",
                p.path("trainLoss").asDouble(), p.path("valLoss").asDouble()));
        p.path("valMetrics").fields().forEachRemaining(e -> {
            if (!e.getKey().equals("score")) {
                sb.append(String.format(Locale.ROOT, " %s %.3f", e.getKey(), e.getValue().asDouble()));
            }
        });
        return sb.append(String.format(Locale.ROOT, " %.0f img/s", p.path("imagesPerSecond").asDouble())).toString();
    }
}
