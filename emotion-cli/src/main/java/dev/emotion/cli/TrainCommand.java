package dev.emotion.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.emotion.core.contract.Contracts;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code train}: queues a training on training-service and follows it epoch by epoch until it ends. */
final class TrainCommand {

    static final String HELP = """
            Usage: ./emotion train --study S --model cnn_simple|vit_scratch|resnet_pretrained|vit_pretrained
                                                     |face_expression_baseline
                                   [--task emotion_class|emotion_multilabel|attention_regression|expression_regression|affect] [--epochs N]
                                   [--batch-size N] [--learning-rate X] [--grad-accum N] [--seed N]
                                   [--resume TRAINING_ID] [--allow-random-init] [--no-augment]
                                   [--backbone resnet50|resnet34-faces|face-expression|vit_b_16]
                                   [--weights FILE_OR_URL] [--weights-sha256 HEX] [--unfreeze-last-block]
                                   [--participant-baseline | --no-participant-baseline]
            Pretrained backbones: resnet50 and vit_b_16 need ImageNet safetensors (README, 'Pretrained weights');
            resnet34-faces and face-expression are face-api networks fetched by deploy/models/fetch-models.sh.
            face_expression_baseline imports face-api's expression classifier without training (emotion_class).
            --unfreeze-last-block (resnet_pretrained, vit_pretrained) also trains the backbone's last stage, with
            augmentation (no feature cache then).
            Participant baselines (each person's mean face subtracted from their crops; scoring keeps a running mean
            per tracked face) are on by default for cnn_simple and vit_scratch, off for the pretrained backbones.
                   ./emotion train --eval-only MODEL_ID [--split val|test]   (scores a registered model)
            Options: --url http://localhost:8082 (training-service), --api-key K (or EMOTION_API_KEY)
            Alias: train_model. Prints the model id when done.""";

    private TrainCommand() {
    }

    /** The options of a training request (train and cross-validate take the same ones, less a few). */
    static final Set<String> REQUEST_OPTIONS = Set.of("study", "model", "task", "epochs", "batch-size",
            "learning-rate", "grad-accum", "seed", "backbone", "weights", "weights-sha256", "url", "api-key");
    static final Set<String> REQUEST_FLAGS = Set.of("allow-random-init", "no-augment", "unfreeze-last-block",
            "participant-baseline", "no-participant-baseline");

    static int run(List<String> argv) throws Exception {
        Set<String> options = new java.util.HashSet<>(REQUEST_OPTIONS);
        options.addAll(Set.of("resume", "eval-only", "split"));
        Args a = new Args("train", argv, options, REQUEST_FLAGS);
        String url = trainingUrl(a);
        String apiKey = a.get("api-key", System.getenv("EMOTION_API_KEY"));
        if (a.has("eval-only")) {
            String modelId = a.required("eval-only");
            JsonNode r = new ServiceClient("train", "training-service", url, apiKey).call("/api/v1/models/"
                    + modelId + "/evaluate?split=" + a.get("split", "val"), modelId);
            if (r == null) {
                return 1;
            }
            System.out.printf(Locale.ROOT, "%s on %s/%s (%d samples): loss %.4f%n", modelId,
                    r.path("studyId").asText(), r.path("split").asText(), r.path("samples").asInt(),
                    r.path("loss").asDouble());
            r.path("metrics").fields().forEachRemaining(e -> System.out.printf(Locale.ROOT, "  %-18s %.4f%n",
                    e.getKey(), e.getValue().asDouble()));
            return 0;
        }
        ObjectNode body = request(a);
        ServiceClient service = new ServiceClient("train", "training-service", url, apiKey);
        JsonNode queued = service.submit("/api/v1/trainings", "application/json",
                HttpRequest.BodyPublishers.ofString(body.toString()), body.get("model").asText());
        if (queued == null) {
            return 1;
        }
        String id = queued.path("trainingId").asText();
        int epochs = queued.path("epochs").asInt();
        System.err.println("train: " + id + " queued (" + body.get("model").asText() + ", "
                + body.get("task").asText() + ", " + epochs + " epochs)");
        ProgressBar bar = new ProgressBar(body.get("model").asText(), epochs, "epochs");
        int shown = -1;
        Stall stall = new Stall("training " + id);
        while (true) {
            Thread.sleep(1000);
            JsonNode p = service.get("/api/v1/trainings/" + id);
            String state = p.path("state").asText();
            int epoch = p.path("epoch").asInt();
            stall.seen(state + ", epoch " + epoch + ", step " + p.path("step").asLong());
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

    /** training-service's base URL: --url, else TRAINING_URL, else localhost:TRAINING_PORT (8082). */
    static String trainingUrl(Args a) {
        return a.get("url", System.getenv().getOrDefault("TRAINING_URL", "http://localhost:"
                + System.getenv().getOrDefault("TRAINING_PORT", "8082"))).replaceAll("/+$", "");
    }

    /** The JSON body of {@code POST /api/v1/trainings} (and of cross-validations) from the command's options. */
    static ObjectNode request(Args a) {
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
        for (String[] o : new String[][] {{"backbone", "backbone"}, {"weights", "weights"},
                {"weights-sha256", "weightsSha256"}}) {
            if (a.has(o[0])) {
                body.put(o[1], a.required(o[0]));
            }
        }
        body.put("allowRandomInit", a.flag("allow-random-init"));
        if (a.flag("unfreeze-last-block")) {
            body.put("unfreezeLastBlock", true); // resnet/vit_pretrained: fine-tune the backbone's last block too
        }
        body.put("augment", !a.flag("no-augment"));
        if (a.flag("participant-baseline") || a.flag("no-participant-baseline")) {
            body.put("participantBaseline", a.flag("participant-baseline"));
        }
        return body;
    }

    private static String note(JsonNode p) {
        if (p.path("trainLoss").isMissingNode() || p.path("trainLoss").isNull()) {
            return p.path("message").asText("");
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "loss %.3f val %.3f (gap %+.3f)",
                p.path("trainLoss").asDouble(), p.path("valLoss").asDouble(),
                p.path("valLoss").asDouble() - p.path("trainLoss").asDouble()));
        p.path("valMetrics").fields().forEachRemaining(e -> {
            if (!e.getKey().equals("score")) {
                sb.append(String.format(Locale.ROOT, " %s %.3f", e.getKey(), e.getValue().asDouble()));
            }
        });
        return sb.append(String.format(Locale.ROOT, " %.0f img/s", p.path("imagesPerSecond").asDouble())).toString();
    }
}
