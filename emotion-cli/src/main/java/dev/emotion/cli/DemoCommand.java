package dev.emotion.cli;

import static dev.emotion.cli.LeaderboardCommand.step;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emotion.core.contract.Contracts;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The demo's steps after the services are up (./emotion demo builds, fetches the model files, starts the broker and
 * the services, then runs this): render a synthetic study, ingest it, train every architecture, cross-validate
 * cnn_simple, evaluate on the held-out people, score a held-out video on the served model, and print a summary. Each
 * step is one of the CLI's own commands, so the demo exercises exactly what users run.
 */
final class DemoCommand {

    static final String HELP = """
            Usage: ./emotion demo [--quick] [--keep-running]
            (this is the CLI's demo-steps --study S --out DIR [--quick] [--started EPOCH_SECONDS], which ./emotion demo
            runs once it has built everything and started the broker and the services)
            Renders the synthetic study (preset standard: 10 people x 45 s at 480x360; --quick: preset quick, 20 s),
            ingests it, trains cnn_simple, vit_scratch, resnet_pretrained (offline: face-api's face-expression
            backbone, last stage fine-tuned), vit_pretrained when ImageNet weights are present and the zero-training
            baseline, cross-validates cnn_simple over 3 folds grouped by participant, evaluates on the held-out people,
            scores a held-out video on the recommended model, and prints a summary.""";

    /** What a demo run does at its size. */
    record Plan(String preset, int seconds, String size, int fps, int folds, int cnnEpochs, int vitEpochs,
                int headEpochs) {
        static Plan of(boolean quick) {
            return quick ? new Plan("quick", 20, "480x360", 5, 3, 2, 1, 2)
                    : new Plan("standard", 45, "480x360", 3, 3, 4, 6, 6);
        }
    }

    private DemoCommand() {
    }

    static int run(List<String> argv) throws Exception {
        Args a = new Args("demo-steps", argv, Set.of("study", "out", "api-key", "started"), Set.of("quick"));
        Plan plan = Plan.of(a.flag("quick"));
        String study = a.required("study");
        Path out = Path.of(a.required("out"));
        String apiKey = a.get("api-key", System.getenv("EMOTION_API_KEY"));
        // the demo's start (epoch seconds, from ./emotion demo: the build and start-up count too), else now
        long started = a.has("started") ? Long.parseLong(a.required("started")) : System.currentTimeMillis() / 1000;
        ServiceClient ingest = new ServiceClient("demo", "ingest-service", url("INGEST", 8081), apiKey);
        ServiceClient training = new ServiceClient("demo", "training-service", url("TRAINING", 8082), apiKey);
        ServiceClient evaluation = new ServiceClient("demo", "evaluation-service", url("EVALUATION", 8083), apiKey);
        String inference = url("INFERENCE", 8084);

        step("5/10 synthetic study: preset " + plan.preset() + ", " + plan.seconds() + " s each, at " + plan.size()
                + " -> " + out);
        must("synth", SynthCommand.run(List.of("--preset", plan.preset(), "--seconds", str(plan.seconds()), "--size",
                plan.size(), "--out", out.toString(), "--study", study)));
        step("6/10 ingest at " + plan.fps() + " fps (faces, labels, participant splits) -> Kafka");
        must("ingest", IngestCommand.run(List.of("--study", study, "--study-dir", out.toString(), "--max-fps",
                str(plan.fps()))));

        step("7/10 training on emotion_class (training-service)");
        LeaderboardCommand.awaitStore(training, study);
        train(study, "cnn_simple", plan.cnnEpochs());
        train(study, "vit_scratch", plan.vitEpochs());
        Path weights = LeaderboardCommand.weightsDir();
        if (Files.isRegularFile(weights.resolve("resnet50.safetensors"))) {
            train(study, "resnet_pretrained", plan.headEpochs());
        } else {
            System.out.println("resnet_pretrained: no ImageNet ResNet-50 weights at " + weights.resolve(
                    "resnet50.safetensors") + "; using face-api's face-expression backbone (pretrained on facial"
                    + " expressions, offline), its last stage fine-tuned");
            train(study, "resnet_pretrained", plan.headEpochs(), "--backbone", "face-expression",
                    "--unfreeze-last-block");
        }
        if (Files.isRegularFile(weights.resolve("vit_b_16.safetensors"))
                || Files.isRegularFile(weights.resolve("vit_base_patch16_224.safetensors"))) {
            train(study, "vit_pretrained", plan.headEpochs());
        } else {
            System.out.println("vit_pretrained: skipped: no ImageNet ViT-B/16 weights in " + weights
                    + " (README: 'Pretrained weights')");
        }
        System.out.println("face_expression_baseline: face-api's expression classifier as trained (no training; it"
                + " has no contempt output)");
        must("train face_expression_baseline", TrainCommand.run(List.of("--study", study, "--model",
                "face_expression_baseline")));

        step("8/10 cross-participant validation: cnn_simple, " + plan.folds() + " folds grouped by participant,"
                + " trained like the main run");
        must("cross-validate", CrossValidateCommand.run(List.of("--study", study, "--model", "cnn_simple",
                "--epochs", str(plan.cnnEpochs()), "--folds", str(plan.folds()))));
        step("9/10 evaluation on the held-out participants (evaluation-service)");
        java.io.PrintStream stdout = System.out;
        try {
            System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream())); // the table comes last
            must("evaluate", EvaluateCommand.run(List.of("--study", study)));
        } finally {
            System.setOut(stdout);
        }

        step("10/10 live scoring: inference-service loads the recommended model (else keeps the zero-training "
                + "baseline) and scores a held-out video");
        String baseline = "";
        for (JsonNode m : training.get("/api/v1/models?studyId=" + study)) {
            if ("face_expression_baseline".equals(m.path("architecture").asText())) {
                baseline = m.path("modelId").asText();
            }
        }
        scoreHeldOutVideo(evaluation, inference, apiKey, study, out, baseline);

        System.out.println();
        System.out.println("== summary (" + (System.currentTimeMillis() / 1000 - started) + " s)");
        JsonNode s = ingest.get("/api/v1/studies/" + study);
        System.out.println("study " + s.path("studyId").asText() + ": " + s.path("participants").size()
                + " participants, faces per split " + s.path("facesPerSplit"));
        System.out.println("dominant labels: " + s.path("labelCounts"));
        if (s.hasNonNull("excluded") && !s.path("excluded").isEmpty()) {
            System.out.println("left out of the dominant-emotion task: " + s.path("excluded"));
        }
        List<String> detectors = new ArrayList<>();
        s.path("detectors").forEach(d -> detectors.add(d.asText()));
        System.out.println("detector: " + String.join(", ", detectors)
                + (s.path("detectorFallbackUsed").asBoolean() ? " (FALLBACK)" : ""));
        System.out.println("Study files: " + out + "   APIs: " + url("INGEST", 8081) + "/q/swagger-ui (and "
                + url("TRAINING", 8082) + ", " + url("EVALUATION", 8083) + ", " + inference + ")");
        System.out.println();
        System.out.println("models (validation split, best epoch):");
        for (JsonNode m : training.get("/api/v1/models?studyId=" + study)) {
            List<String> metrics = new ArrayList<>();
            m.path("valMetrics").fields().forEachRemaining(e -> metrics.add(String.format(Locale.ROOT, "%s %.3f",
                    e.getKey(), e.getValue().asDouble())));
            String backbone = m.path("config").path("backbone").asText("");
            System.out.println(String.format(Locale.ROOT, "  %-40s %-38s %s  (%,d params)",
                    m.path("architecture").asText() + (backbone.isEmpty() ? "" : "/" + backbone),
                    m.path("modelId").asText(), String.join(", ", metrics), m.path("totalParameters").asLong()));
        }
        System.out.println("Checkpoints: experiments/<model>/checkpoints/");
        System.out.println();
        System.out.println("evaluation on held-out participants (95 % bootstrap CIs):");
        must("evaluate --report-only", EvaluateCommand.run(List.of("--study", study, "--report-only")));
        System.out.println();
        Path real = RealFaceCheck.shipped();
        if (real == null) {
            System.out.println("real faces: datasets/real-faces is not in this checkout; the check on real people is "
                    + "skipped");
        } else {
            String recommended = evaluation.get("/api/v1/reports/" + study).path("recommendation").path("modelId")
                    .asText("");
            RealFaceCheck.print(RealFaceCheck.run(training, url("TRAINING", 8082), study, recommended, real,
                    out.resolve("real-faces-check")));
        }
        System.out.println("Report: " + url("EVALUATION", 8083) + "/reports/" + study
                + "/index.html  (files: experiments/model_comparison/" + study + "/)");
        System.out.println("Console: " + url("CONSOLE", 8080) + "/#/models/" + study + "  (the study, trainings,"
                + " report and live scoring in the browser)");
        return 0;
    }

    private static void train(String study, String model, int epochs, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("--study", study, "--model", model, "--epochs", str(epochs)));
        args.addAll(List.of(more));
        must("train " + model, TrainCommand.run(args));
    }

    /**
     * Waits until inference-service serves the study's recommended model (when the evaluation recommends none, it is
     * switched to {@code fallback} with {@code PUT /api/v1/model}), then streams one held-out participant's video
     * through {@code POST /api/v1/predict/video} and summarises the NDJSON it answers while decoding.
     */
    static Summary scoreHeldOutVideo(ServiceClient evaluation, String inference, String apiKey, String study, Path out,
                                     String fallback) throws Exception {
        JsonNode report = evaluation.get("/api/v1/reports/" + study);
        String wanted = report.path("recommendation").path("modelId").asText("");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        if (wanted.isEmpty()) {
            System.out.println(report.path("recommendation").path("reason").asText("no model recommended"));
            if (fallback == null || fallback.isBlank()) {
                throw new IllegalStateException("the evaluation recommended no model and there is none to fall back"
                        + " on; see the report");
            }
            wanted = fallback;
            System.out.println("scoring with " + wanted + " instead (PUT " + inference + "/api/v1/model)");
            HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(inference + "/api/v1/model"))
                    .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(
                            Contracts.mapper().writeValueAsString(Map.of("modelId", wanted))));
            if (apiKey != null && !apiKey.isBlank()) {
                put.header("X-API-Key", apiKey);
            }
            HttpResponse<String> switched = http.send(put.build(), HttpResponse.BodyHandlers.ofString());
            if (switched.statusCode() != 200) {
                throw new IllegalStateException("inference-service refused to switch to " + wanted + ": "
                        + switched.statusCode() + " " + switched.body());
            }
        }
        String loaded = "";
        for (int i = 0; i < 240 && !loaded.equals(wanted); i++) {
            if (i > 0) {
                Thread.sleep(500);
            }
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(inference + "/api/v1/model"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            loaded = r.statusCode() == 200 ? Contracts.mapper().readTree(r.body()).path("loadedModelId").asText("")
                    : "";
        }
        if (!loaded.equals(wanted)) {
            throw new IllegalStateException("inference-service did not load " + wanted + " within 120 s (it serves '"
                    + loaded + "'); see the inference-service log");
        }
        String participant = report.path("models").path(0).path("participants").path(0).asText();
        Path video = out.resolve(participant + ".mp4");
        Path ndjson = out.resolve(participant + ".predictions.ndjson");
        System.out.println("inference-service serves " + loaded + "; scoring held-out " + video.getFileName()
                + " at 5 fps");
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(inference
                + "/api/v1/predict/video?fps=5&smooth=0.5")).header("Content-Type", "video/mp4")
                .POST(HttpRequest.BodyPublishers.ofFile(video)).timeout(Duration.ofMinutes(10));
        if (apiKey != null && !apiKey.isBlank()) {
            req.header("X-API-Key", apiKey);
        }
        HttpResponse<InputStream> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        Summary summary = new Summary();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8));
             var w = Files.newBufferedWriter(ndjson)) {
            if (resp.statusCode() != 200) {
                throw new IllegalStateException("POST /api/v1/predict/video answered HTTP " + resp.statusCode()
                        + ": " + in.lines().reduce("", String::concat));
            }
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.isBlank()) {
                    w.write(line);
                    w.newLine();
                    summary.add(Contracts.mapper().readTree(line));
                }
            }
        }
        System.out.println("  " + summary);
        System.out.println("  predictions: " + ndjson);
        return summary;
    }

    /** Frames, frames with a face, dominant emotions (EMA-smoothed) and the median latency of a scored video. */
    static final class Summary {
        private int frames;
        private int withFace;
        private final Map<String, Integer> dominant = new LinkedHashMap<>();
        private final List<Double> latencies = new ArrayList<>();

        int frames() {
            return frames;
        }

        int withFace() {
            return withFace;
        }

        Map<String, Integer> dominant() {
            return dominant;
        }

        void add(JsonNode frame) {
            if (frame.has("error")) {
                throw new IllegalStateException("video scoring failed: " + frame.path("error").asText());
            }
            frames++;
            if (!frame.path("faces").isEmpty()) {
                withFace++;
            }
            frame.path("faces").forEach(f -> dominant.merge(f.path("dominant").asText(), 1, Integer::sum));
            latencies.add(frame.path("latencyMs").asDouble());
        }

        @Override
        public String toString() {
            List<Double> sorted = latencies.stream().sorted().toList();
            Map<String, Integer> byCount = new LinkedHashMap<>();
            dominant.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                    .forEach(e -> byCount.put(e.getKey(), e.getValue()));
            return String.format(Locale.ROOT, "%d frames scored, %d with a face; dominant (EMA-smoothed): %s;"
                    + " latency p50 %.1f ms per frame", frames, withFace, byCount,
                    sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() / 2));
        }
    }

    static void must(String what, int rc) {
        if (rc != 0) {
            throw new IllegalStateException(what + " failed (exit " + rc + "; its message is above)");
        }
    }

    static String url(String service, int port) {
        return System.getenv().getOrDefault(service + "_URL", "http://localhost:"
                + System.getenv().getOrDefault(service + "_PORT", String.valueOf(port))).replaceAll("/+$", "");
    }

    private static String str(int n) {
        return String.valueOf(n);
    }

}
