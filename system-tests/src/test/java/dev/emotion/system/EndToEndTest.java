package dev.emotion.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emotion.cli.Main;
import dev.emotion.core.contract.Contracts;
import dev.emotion.testkit.SecureKafkaBroker;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo's path, smaller, through the four packaged services running as separate processes on the real broker
 * (the authorised one: SASL/SCRAM users and ACLs, each service as itself):
 * synth -> ingest (ingest-service) -> training-service stores the study -> train cnn_simple and vit_scratch ->
 * evaluate (evaluation-service publishes the report, refusing to recommend 1-epoch models) -> inference-service loads the chosen
 * model -> a held-out video is scored over HTTP. Asserts the report and the predictions exist and agree.
 */
class EndToEndTest {

    static final String KEY = "e2e-secret";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final Map<String, Process> SERVICES = new LinkedHashMap<>();
    static final Map<String, Integer> PORTS = new LinkedHashMap<>();
    static Path home;

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static String url(String svc) {
        return "http://localhost:" + PORTS.get(svc);
    }

    @BeforeAll
    static void startTheFourServices() throws Exception {
        home = Path.of("target", "e2e-" + UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();
        Files.createDirectories(home.resolve("logs"));
        // the authorised broker: each service connects as its own user with only its rights (ServiceRights), so
        // the whole pipeline passing here shows the rights are enough (SecureBrokerTest: and no more)
        SecureBrokerTest.administer(); // fails fast, naming ./emotion test, without the secure broker
        for (String svc : List.of("ingest", "training", "evaluation", "inference")) {
            PORTS.put(svc, freePort());
        }
        for (String svc : PORTS.keySet()) {
            Path jar = Path.of("..", svc + "-service", "target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
            assertTrue(Files.isRegularFile(jar), jar + " missing: package the services first (mvn verify does)");
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx1g", "-Djava.awt.headless=true", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", "-jar",
                    jar.toString());
            Map<String, String> env = pb.environment();
            env.putAll(SecureKafkaBroker.serviceEnv(svc));
            env.put("EMOTION_HTTP_PORT", String.valueOf(PORTS.get(svc)));
            env.put("EMOTION_DATA_DIR", home.resolve("data").resolve(svc).toString());
            env.put("EMOTION_EXPERIMENTS_DIR", home.resolve("experiments").toString());
            env.put("EMOTION_PUBLIC_URL", url(svc));
            env.put("EMOTION_API_KEY", KEY);
            // this run's own worker group; a service may join only groups named after it
            env.put("EMOTION_WORKER_GROUP", svc + "-workers-e2e-" + home.getFileName());
            env.put("EMOTION_WORKER_START_AT", "latest");
            env.put("DJL_OFFLINE", "true");
            pb.redirectErrorStream(true).redirectOutput(home.resolve("logs").resolve(svc + ".log").toFile());
            SERVICES.put(svc, pb.start());
        }
        for (String svc : PORTS.keySet()) {
            // inference-service is live but not ready until it has a model
            String check = svc.equals("inference") ? "/q/health/live" : "/q/health/ready";
            await(svc + " up", 120, () -> status(url(svc) + check) == 200);
        }
    }

    /** Stops the processes (SIGTERM, then SIGKILL after 30 s). */
    static void stopAll(java.util.Collection<Process> processes) throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @AfterAll
    static void stopThem() throws Exception {
        stopAll(SERVICES.values());
        // the stores replay the whole frames topic (hundreds of MB on a used broker); keep only the logs
        Path data = home.resolve("data");
        if (Files.isDirectory(data)) {
            try (var walk = Files.walk(data)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void await(String what, int seconds, Check check) throws Exception {
        await(SERVICES, home.resolve("logs"), what, seconds, check);
    }

    /** Waits for {@code check}, failing at once when one of {@code processes} has exited (their logs in logs). */
    static void await(Map<String, Process> processes, Path logs, String what, int seconds, Check check)
            throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (true) {
            for (Map.Entry<String, Process> e : processes.entrySet()) {
                assertTrue(e.getValue().isAlive(), e.getKey() + " exited; log: " + logs);
            }
            try {
                if (check.ok()) {
                    return;
                }
            } catch (IOException ignored) {
                // not answering yet
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + seconds + " s waiting for: " + what + " (logs: "
                        + logs + ")");
            }
            Thread.sleep(500);
        }
    }

    static int status(String u) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(u)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static JsonNode get(String u) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(u)).timeout(Duration.ofSeconds(30))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + u + " -> " + r.statusCode() + " " + r.body());
        }
        return Contracts.mapper().readTree(r.body());
    }

    static void cli(String... args) {
        assertEquals(0, Main.run(args), "./emotion " + String.join(" ", args) + " failed");
    }

    @Test
    void videoToRecommendationToLivePredictions() throws Exception {
        String study = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
        Path dir = home.resolve("study");
        cli("synth", "--participants", "5", "--seconds", "6", "--out", dir.toString(), "--study", study);
        cli("ingest", "--study", study, "--study-dir", dir.toString(), "--max-fps", "10", "--url", url("ingest"),
                "--api-key", KEY);

        // training-service has stored every labelled face of the study (from Kafka)
        await("training-service stores " + study, 180, () -> {
            JsonNode d = get(url("training") + "/api/v1/datasets/" + study);
            Map<String, Integer> want = new LinkedHashMap<>();
            d.path("study").path("participants").forEach(p -> want.merge(p.path("split").asText(),
                    p.path("labelled").asInt(), Integer::sum));
            return d.path("trainable").asBoolean() && want.entrySet().stream()
                    .allMatch(e -> d.path("storedSamples").path(e.getKey()).asInt() >= e.getValue());
        });
        for (String model : List.of("cnn_simple", "vit_scratch")) {
            cli("train", "--study", study, "--model", model, "--epochs", "1", "--url", url("training"), "--api-key",
                    KEY);
        }
        Set<String> trained = new HashSet<>();
        get(url("training") + "/api/v1/models?studyId=" + study).forEach(m -> trained.add(m.path("modelId").asText()));
        assertEquals(2, trained.size(), "two registered models: " + trained);

        cli("evaluate", "--study", study, "--url", url("evaluation"), "--api-key", KEY);
        JsonNode report = get(url("evaluation") + "/api/v1/reports/" + study);
        Set<String> evaluated = new HashSet<>();
        report.path("models").forEach(m -> evaluated.add(m.path("modelId").asText()));
        assertEquals(trained, evaluated, "the report covers exactly the trained models");
        JsonNode studyView = get(url("ingest") + "/api/v1/studies/" + study);
        int testFaces = studyView.path("facesPerSplit").path("test").asInt();
        for (JsonNode m : report.path("models")) {
            assertTrue(m.path("testSamples").asInt() > 0 && m.path("testSamples").asInt() <= testFaces,
                    m.path("modelId").asText() + " scored " + m.path("testSamples") + " of " + testFaces);
            double acc = m.path("metrics").path("accuracy").asDouble(-1);
            // The headline accuracy is what the model's own confusion matrix says, over every test frame it scored.
            long right = 0;
            long all = 0;
            JsonNode confusion = m.path("classification").path("confusion");
            for (int r = 0; r < confusion.size(); r++) {
                for (int c = 0; c < confusion.get(r).size(); c++) {
                    all += confusion.get(r).get(c).asLong();
                    right += r == c ? confusion.get(r).get(c).asLong() : 0;
                }
            }
            assertEquals(m.path("testSamples").asLong(), all, "the confusion matrix counts every scored frame");
            assertEquals((double) right / all, acc, 1e-9, "accuracy = diagonal / total of the confusion matrix");
            JsonNode ci = m.path("confidenceIntervals").path("accuracy");
            assertTrue(ci.path("low").asDouble() <= acc && acc <= ci.path("high").asDouble(), "CI around " + acc);
        }
        // Trained 1 epoch, no zero-training baseline beside them: the evaluation refuses to recommend either, and
        // says why; inference-service keeps serving what it served.
        assertTrue(report.path("recommendation").path("modelId").isNull(), report.path("recommendation").toString());
        assertTrue(report.path("recommendation").path("reason").asText().startsWith("no model recommended"),
                report.path("recommendation").toString());
        assertTrue(status(url("evaluation") + "/reports/" + study + "/index.html") == 200, "HTML report served");

        // so the operator chooses one (PUT /api/v1/model), and inference-service scores a held-out video with it
        String recommended = trained.stream().sorted().findFirst().orElseThrow();
        HttpResponse<String> switched = HTTP.send(HttpRequest.newBuilder(URI.create(url("inference")
                + "/api/v1/model")).header("Content-Type", "application/json").header("X-API-Key", KEY)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"modelId\":\"" + recommended + "\"}"))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, switched.statusCode(), switched.body());
        await("inference-service loads " + recommended, 180, () -> recommended.equals(
                get(url("inference") + "/api/v1/model").path("loadedModelId").asText()));
        String participant = report.path("models").get(0).path("participants").get(0).asText();
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url("inference")
                + "/api/v1/predict/video?fps=5")).header("Content-Type", "video/mp4")
                .POST(HttpRequest.BodyPublishers.ofFile(dir.resolve(participant + ".mp4")))
                .timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        List<JsonNode> lines = new ArrayList<>();
        for (String l : r.body().split("\n")) {
            if (!l.isBlank()) {
                lines.add(Contracts.mapper().readTree(l));
            }
        }
        assertTrue(lines.size() >= 20, "about 6 s at 5 fps: " + lines.size() + " lines");
        Predicate<JsonNode> hasFace = l -> l.path("faces").size() > 0;
        assertTrue(lines.stream().filter(hasFace).count() >= lines.size() / 2, "faces found in the rendered video");
        JsonNode labels = report.path("models").get(0).path("classification").path("labels");
        Set<String> known = new HashSet<>();
        labels.forEach(l -> known.add(l.asText()));
        for (JsonNode l : lines) {
            assertFalse(l.has("error"), l.toString());
            assertEquals(recommended, l.path("modelId").asText(), "every frame scored by the recommended model");
            for (JsonNode f : l.path("faces")) {
                double sum = 0;
                for (var it = f.path("probabilities").fields(); it.hasNext(); ) {
                    var e = it.next();
                    assertTrue(known.isEmpty() || known.contains(e.getKey()), "label " + e.getKey());
                    sum += e.getValue().asDouble();
                }
                assertEquals(1.0, sum, 1e-3, "probabilities of a face sum to 1");
                assertTrue(f.path("probabilities").has(f.path("dominant").asText()), f.toString());
            }
        }

        // ./emotion predict: the same video scored in this process (the model fetched from training-service's
        // registry; detection on every frame, as the endpoint does) and by inference-service (--url, CSV answer),
        // each CSV checked row by row against the NDJSON
        Path video = dir.resolve(participant + ".mp4");
        Path local = home.resolve("predict-local");
        Path remote = home.resolve("predict-remote");
        System.setProperty("emotion.home", home.resolve("cli").toString());
        cli("predict", video.toString(), "--fps", "5", "--model", recommended, "--training-url", url("training"),
                "--out", local.toString(), "--detect-every", "1");
        cli("predict", video.toString(), "--fps", "5", "--url", url("inference"), "--out", remote.toString());
        for (Path csv : List.of(local.resolve(participant + ".csv"), remote.resolve(participant + ".csv"))) {
            List<String> rows = Files.readAllLines(csv);
            assertTrue(rows.get(0).startsWith("Timestamp,FrameNo,FaceId,FaceRect X,FaceRect Y,FaceRect Width,"
                    + "FaceRect Height,Detection Score,Anger,Contempt,Disgust,Fear,Joy,Sadness,Surprise,Neutral,"
                    + "Brow Furrow,") && rows.get(0).endsWith(",Valence,Engagement,Attention,Dominant Emotion,"
                    + "Baseline Warm,Model"), rows.get(0));
            int model = List.of(rows.get(0).split(",")).indexOf("Model");
            int at = 1;
            for (JsonNode l : lines) {
                int expected = Math.max(1, l.path("faces").size());
                for (int k = 0; k < expected; k++, at++) {
                    String[] c = rows.get(at).split(",", -1);
                    String where = csv.getFileName() + " row " + (at + 1) + " vs NDJSON frame " + l.path("frame");
                    assertEquals(l.path("timestampMs").asLong(), Long.parseLong(c[0]), where);
                    assertEquals(l.path("frame").asLong(), Long.parseLong(c[1]), where);
                    assertEquals(recommended, c[model], where);
                    if (l.path("faces").isEmpty()) {
                        assertEquals("", c[2], where + ": a frame without a face has an empty row");
                        continue;
                    }
                    JsonNode f = l.path("faces").get(k);
                    assertEquals(f.path("faceId").asInt(), Integer.parseInt(c[2]), where);
                    assertEquals(f.path("box").path("x").asInt(), Integer.parseInt(c[3]), where);
                    assertEquals(f.path("box").path("width").asInt(), Integer.parseInt(c[5]), where);
                    assertEquals(f.path("detectionScore").asDouble(), Double.parseDouble(c[7]), 1e-4, where);
                    List<String> order = List.of("anger", "contempt", "disgust", "fear", "joy", "sadness",
                            "surprise", "neutral");
                    for (int e = 0; e < order.size(); e++) {
                        assertEquals(100 * f.path("probabilities").path(order.get(e)).asDouble(),
                                Double.parseDouble(c[8 + e]), 0.01, where + " " + order.get(e));
                    }
                }
            }
            assertEquals(rows.size(), at, csv + " has exactly the NDJSON answer's frames and faces");
        }
        // ./emotion compare: the predictions against the participant's AFFDEX file
        Path agreement = home.resolve("compare");
        cli("compare", local.resolve(participant + ".csv").toString(), dir.resolve(participant + ".csv").toString(),
                "--out", agreement.toString());
        JsonNode a = Contracts.mapper().readTree(agreement.resolve("agreement.json").toFile());
        assertTrue(a.path("alignedFrames").asInt() >= 20, "frames aligned: " + a.path("alignedFrames"));
        assertTrue(Math.abs(a.path("lagMs").asLong()) <= 1000, a.path("lagMs").toString());
        Set<String> channels = new HashSet<>();
        a.path("channels").forEach(c -> channels.add(c.path("name").asText()));
        assertTrue(channels.containsAll(List.of("joy", "anger", "fear", "disgust", "sadness", "surprise",
                "contempt")), "every emotion compared: " + channels);
        assertTrue(Files.isRegularFile(agreement.resolve("index.html")) && Files.isRegularFile(agreement.resolve(
                "timeline-joy.png")), "the timelines page");
        long written = Files.getLastModifiedTime(local.resolve(participant + ".csv")).toMillis();
        cli("predict", video.toString(), "--fps", "5", "--model", recommended, "--out", local.toString());
        assertEquals(written, Files.getLastModifiedTime(local.resolve(participant + ".csv")).toMillis(),
                "a complete CSV is skipped on the next run (resumable)");
    }
}
