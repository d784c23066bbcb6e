package dev.emotion.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emotion.core.contract.Contracts;
import dev.emotion.core.contract.ModelTrained;
import dev.emotion.core.contract.Topic;
import dev.emotion.core.contract.TrainingProgress;
import dev.emotion.testkit.KafkaProbe;
import dev.emotion.testkit.PublishedStudy;
import dev.emotion.testkit.RealKafkaBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Scale-out's fault test, with real processes on the real broker: two training-service workers share one worker
 * group; the one running a training is killed with SIGKILL in the middle of an epoch; the other takes the request
 * over once the dead worker's session expires, resumes from the last checkpoint on the shared experiments volume and
 * finishes; its final validation metrics match an uninterrupted run of the same request within 1 %, and the run's
 * events name both workers.
 */
class TrainingFailoverTest {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final Map<String, Process> WORKERS = new LinkedHashMap<>();
    static final Map<String, Integer> PORTS = new LinkedHashMap<>();
    static Path home;

    static String url(String worker) {
        return "http://localhost:" + PORTS.get(worker);
    }

    /**
     * One replica of {@code service} ({@code ingest}, {@code training}) as a process: its port, data directory and
     * worker id; the worker group, start position (latest: this test's own group) and a short session timeout;
     * the experiments directory under {@code home} (the volume training workers share).
     */
    static Process startService(String service, String worker, int port, Path dataDir, String group, Path home)
            throws Exception {
        Path jar = Path.of("..", service + "-service", "target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), jar + " missing: package the services first (mvn verify does)");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Djava.awt.headless=true", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", "-jar",
                jar.toString());
        Map<String, String> env = pb.environment();
        env.put("KAFKA_BOOTSTRAP_SERVERS", RealKafkaBroker.bootstrapServers());
        env.put("EMOTION_HTTP_PORT", String.valueOf(port));
        env.put("EMOTION_DATA_DIR", dataDir.toString());
        env.put("EMOTION_EXPERIMENTS_DIR", home.resolve("experiments").toString()); // the shared volume
        env.put("EMOTION_PUBLIC_URL", "http://localhost:" + port);
        env.put("EMOTION_WORKER_ID", worker);
        env.put("EMOTION_WORKER_GROUP", group);
        env.put("EMOTION_WORKER_START_AT", "latest");
        env.put("EMOTION_WORKER_SESSION_TIMEOUT_MS", "8000");
        env.put("DJL_OFFLINE", "true");
        pb.redirectErrorStream(true).redirectOutput(home.resolve("logs").resolve(worker + ".log").toFile());
        return pb.start();
    }

    static void startWorkers(String group) throws Exception {
        for (String worker : List.of("worker-a", "worker-b")) {
            PORTS.put(worker, EndToEndTest.freePort());
            WORKERS.put(worker, startService("training", worker, PORTS.get(worker),
                    home.resolve("data").resolve(worker), group, home));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        EndToEndTest.stopAll(WORKERS.values());
        Path data = home == null ? null : home.resolve("data");
        if (data != null && Files.isDirectory(data)) {
            try (var walk = Files.walk(data)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static JsonNode get(String u) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(u)).timeout(Duration.ofSeconds(30))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new java.io.IOException("GET " + u + " -> " + r.statusCode() + " " + r.body());
        }
        return Contracts.mapper().readTree(r.body());
    }

    /** POSTs JSON, expects 202 Accepted, returns the answer. */
    static String postJson(String u, Map<String, Object> body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(u)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Contracts.mapper().writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, r.statusCode(), r.body());
        return r.body();
    }

    static String post(String u, Map<String, Object> body) throws Exception {
        return Contracts.mapper().readTree(postJson(u, body)).path("trainingId").asText();
    }

    static void await(String what, int seconds, EndToEndTest.Check check) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (!ok(check)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + seconds + " s waiting for: " + what + " (logs: "
                        + home.resolve("logs") + ")");
            }
            Thread.sleep(500);
        }
    }

    private static boolean ok(EndToEndTest.Check check) {
        try {
            return check.ok();
        } catch (Exception e) {
            return false;
        }
    }

    static List<TrainingProgress> events(KafkaProbe kafka, String trainingId) {
        return kafka.readToEnd(Topic.TRAINING_PROGRESS.topicName()).stream()
                .filter(r -> trainingId.equals(r.key()))
                .map(r -> Contracts.parse(r.value(), TrainingProgress.class)).toList();
    }

    static Map<String, Double> finalMetrics(KafkaProbe kafka, String trainingId) {
        return kafka.readToEnd(Topic.MODELS_TRAINED.topicName()).stream()
                .filter(r -> r.value().contains(trainingId)) // other tests park malformed records there
                .map(r -> Contracts.parse(r.value(), ModelTrained.class))
                .filter(m -> trainingId.equals(m.trainingId())).findFirst().orElseThrow().valMetrics();
    }

    @Test
    void aKilledWorkersTrainingIsFinishedByTheOtherFromItsLastCheckpoint() throws Exception {
        home = Path.of("target", "failover-" + UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();
        Files.createDirectories(home.resolve("logs"));
        new RealKafkaBroker().start(); // fails fast, naming ./emotion test, without a broker
        String study = "failover-" + UUID.randomUUID().toString().substring(0, 8);
        try (KafkaProbe kafka = new KafkaProbe()) {
            PublishedStudy published = PublishedStudy.publish(kafka, study, "job-" + study, home.resolve("study"),
                    5, 12, 6);
            startWorkers("failover-workers-" + UUID.randomUUID());
            for (String w : PORTS.keySet()) {
                await(w + " ready and storing " + study, 180, () -> {
                    JsonNode d = get(url(w) + "/api/v1/datasets/" + study);
                    return d.path("trainable").asBoolean() && d.path("storedSamples").path("train").asLong()
                            >= published.stored(dev.emotion.core.contract.Split.TRAIN);
                });
            }
            Map<String, Object> request = Map.of("studyId", study, "model", "cnn_simple", "task", "emotion_class",
                    "epochs", 6, "batchSize", 16, "seed", 7, "patience", 10);
            String id = post(url("worker-a") + "/api/v1/trainings", request);

            // whoever took it: killed (SIGKILL, no goodbye to the group) in the middle of its third epoch
            String[] victim = new String[1];
            await("a worker in epoch 2 of " + id, 240, () -> {
                for (TrainingProgress p : events(kafka, id)) {
                    if (p.epoch() != null && p.epoch() >= 2 && p.worker() != null) {
                        victim[0] = p.worker();
                        return true;
                    }
                }
                return false;
            });
            Thread.sleep(700);
            long killedAt = System.nanoTime();
            WORKERS.get(victim[0]).destroyForcibly().waitFor();
            String survivor = PORTS.keySet().stream().filter(w -> !w.equals(victim[0])).findFirst().orElseThrow();
            System.out.printf("failover: %s killed in epoch 3 of %s; %s should take over%n", victim[0], id, survivor);

            await(survivor + " finishes " + id, 300, () -> "completed".equals(get(url(survivor)
                    + "/api/v1/trainings/" + id).path("state").asText()));
            System.out.printf("failover: completed %.1f s after the kill%n", (System.nanoTime() - killedAt) / 1e9);
            List<TrainingProgress> events = events(kafka, id);
            Set<String> workers = events.stream().map(TrainingProgress::worker).filter(java.util.Objects::nonNull)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(new TreeSet<>(PORTS.keySet()), workers, "the run's events name both workers: " + events);
            assertTrue(events.stream().anyMatch(p -> survivor.equals(p.worker()) && p.message() != null
                    && p.message().contains("resuming the run's last checkpoint")), "resumed, not restarted: " + events);
            assertTrue(events.stream().noneMatch(p -> survivor.equals(p.worker()) && p.epoch() != null
                    && p.epoch() == 1), "epoch 1 (checkpointed by the dead worker) is not trained again");

            // the same request uninterrupted, on the survivor
            String straight = post(url(survivor) + "/api/v1/trainings", request);
            await(straight + " completes", 300, () -> "completed".equals(get(url(survivor) + "/api/v1/trainings/"
                    + straight).path("state").asText()));
            Map<String, Double> resumed = finalMetrics(kafka, id);
            Map<String, Double> uninterrupted = finalMetrics(kafka, straight);
            System.out.printf("failover: resumed %s, uninterrupted %s%n", resumed, uninterrupted);
            assertEquals(uninterrupted.keySet(), resumed.keySet());
            uninterrupted.forEach((k, v) -> assertEquals(v, resumed.get(k), 0.01 * Math.max(Math.abs(v), 0.05),
                    k + " of the resumed run within 1 % of the uninterrupted run's"));
        }
    }
}
