package dev.emotion.cli;

import static dev.emotion.cli.LeaderboardCommand.step;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emotion.core.contract.Emotion;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The deployment's smoke test ({@code ./emotion compose smoke} runs it against the containers' published ports):
 * synth -> ingest -> train cnn_simple -> evaluate -> predict, each through the CLI's own commands, and checks what
 * every service answered, so a stack that starts but cannot do the work fails.
 */
final class SmokeCommand {

    static final String HELP = """
            Usage: ./emotion compose smoke
            (this is the CLI's compose-smoke --out DIR [--study S], which ./emotion compose smoke runs once the stack is
            up, with INGEST_URL, TRAINING_URL, EVALUATION_URL, INFERENCE_URL and CONSOLE_URL set to the containers'
            ports)
            Renders a small synthetic study (5 people x 8 s at 320x240), ingests it, trains cnn_simple for one epoch,
            evaluates it on the held-out person, waits until inference-service serves it and scores that person's
            video, checking each answer (participants and splits stored, the model registered, its test metrics and
            the recommendation, frames scored with faces and an emotion each), then that the web console serves its
            page and forwards to every service.""";

    private SmokeCommand() {
    }

    static int run(List<String> argv) throws Exception {
        Args a = new Args("compose-smoke", argv, Set.of("study", "out", "api-key"), Set.of());
        String study = a.get("study", "smoke");
        Path out = Path.of(a.required("out"));
        String apiKey = a.get("api-key", System.getenv("EMOTION_API_KEY"));
        ServiceClient ingest = new ServiceClient("smoke", "ingest-service", DemoCommand.url("INGEST", 8081), apiKey);
        ServiceClient training = new ServiceClient("smoke", "training-service", DemoCommand.url("TRAINING", 8082),
                apiKey);
        ServiceClient evaluation = new ServiceClient("smoke", "evaluation-service",
                DemoCommand.url("EVALUATION", 8083), apiKey);
        List<String> failures = new ArrayList<>();

        step("smoke 1/5 synth: 5 people x 8 s at 320x240 -> " + out);
        DemoCommand.must("synth", SynthCommand.run(List.of("--preset", "quick", "--participants", "5", "--seconds",
                "8", "--size", "320x240", "--out", out.toString(), "--study", study)));

        step("smoke 2/5 ingest (ingest-service)");
        DemoCommand.must("ingest", IngestCommand.run(List.of("--study", study, "--study-dir", out.toString(),
                "--max-fps", "5")));
        JsonNode s = ingest.get("/api/v1/studies/" + study);
        check(failures, s.path("participants").size() == 5, "ingest-service lists 5 participants",
                s.path("participants").size());
        for (String split : List.of("train", "val", "test")) {
            check(failures, s.path("facesPerSplit").path(split).asLong() > 0, "faces in the " + split + " split",
                    s.path("facesPerSplit"));
        }

        step("smoke 3/5 train cnn_simple, 1 epoch (training-service)");
        LeaderboardCommand.awaitStore(training, study);
        DemoCommand.must("train", TrainCommand.run(List.of("--study", study, "--model", "cnn_simple", "--epochs",
                "1")));
        JsonNode models = training.get("/api/v1/models?studyId=" + study);
        String modelId = models.path(0).path("modelId").asText("");
        check(failures, models.size() == 1 && "cnn_simple".equals(models.path(0).path("architecture").asText()),
                "one cnn_simple model registered", models.size() + " models");

        step("smoke 4/5 evaluate on the held-out person (evaluation-service)");
        DemoCommand.must("evaluate", EvaluateCommand.run(List.of("--study", study)));
        JsonNode report = evaluation.get("/api/v1/reports/" + study);
        JsonNode m = report.path("models").path(0);
        check(failures, modelId.equals(m.path("modelId").asText()), "the report evaluates " + modelId,
                m.path("modelId").asText());
        double f1 = m.path("metrics").path("macro_f1").asDouble(Double.NaN);
        check(failures, f1 >= 0 && f1 <= 1, "the report has a test macro-F1", m.path("metrics"));
        // One epoch and no zero-training baseline beside it: the evaluation must refuse to recommend it.
        check(failures, report.path("recommendation").path("modelId").isNull()
                        && report.path("recommendation").path("reason").asText().startsWith("no model recommended"),
                "no recommendation for a model trained 1 epoch", report.path("recommendation"));

        step("smoke 5/5 predict: inference-service is switched to " + modelId + " and scores the held-out video");
        DemoCommand.Summary scored = DemoCommand.scoreHeldOutVideo(evaluation, DemoCommand.url("INFERENCE", 8084),
                apiKey, study, out, modelId);
        check(failures, scored.frames() >= 20, "at least 20 frames scored (8 s at 5 fps)", scored.frames());
        check(failures, scored.withFace() * 2 >= scored.frames(), "a face in at least half the frames",
                scored.withFace() + " of " + scored.frames());
        check(failures, !scored.dominant().isEmpty() && Emotion.DOMINANT_LABELS.containsAll(scored.dominant().keySet()),
                "each face has one of the emotions", scored.dominant());

        String console = System.getenv().getOrDefault("CONSOLE_URL", "").replaceAll("/+$", "");
        if (!console.isBlank()) {
            step("smoke: the web console (console-service) serves its pages and reaches every service");
            ServiceClient viaConsole = new ServiceClient("smoke", "console-service", console + "/api/ingest", apiKey);
            JsonNode same = viaConsole.get("/api/v1/studies/" + study);
            check(failures, same.path("participants").size() == 5, "the console forwards to ingest-service",
                    same.path("participants").size());
            for (String svc : List.of("training", "evaluation", "inference")) {
                JsonNode health = new ServiceClient("smoke", "console-service", console + "/api/" + svc, apiKey)
                        .get("/q/health/live");
                check(failures, "UP".equals(health.path("status").asText()), "the console reaches " + svc
                        + "-service", health);
            }
            java.net.http.HttpResponse<String> page = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(console + "/")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            check(failures, page.statusCode() == 200 && page.body().contains("Emotion console"),
                    "the console's page", "HTTP " + page.statusCode());
        }

        System.out.println();
        if (!failures.isEmpty()) {
            failures.forEach(f -> System.err.println("smoke: FAILED: " + f));
            return 1;
        }
        System.out.println("smoke: passed (study " + study + ", model " + modelId + ", test macro-F1 "
                + String.format(java.util.Locale.ROOT, "%.3f", f1) + ", " + scored.frames() + " frames scored)");
        return 0;
    }

    private static void check(List<String> failures, boolean ok, String what, Object seen) {
        System.out.println("  " + (ok ? "ok  " : "FAIL") + " " + what + (ok ? "" : " (got " + seen + ")"));
        if (!ok) {
            failures.add(what + " (got " + seen + ")");
        }
    }
}
