package dev.emotion.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emotion.cli.Main;
import dev.emotion.core.contract.Contracts;
import dev.emotion.core.contract.IngestCompleted;
import dev.emotion.core.contract.Topic;
import dev.emotion.testkit.KafkaProbe;
import dev.emotion.testkit.RealKafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The broker is killed (SIGKILL) in the middle of ingesting a three-minute video and started again: the ingest job
 * still completes, training-service's store holds every frame of the manifest exactly once (counted by identity),
 * and nothing is dead-lettered. Needs the local broker `./emotion test` starts (its PID file, to kill and restart
 * it); fails, saying so, without one.
 */
class BrokerRestartTest {

    static final Map<String, Process> SERVICES = new LinkedHashMap<>();
    static final Map<String, Integer> PORTS = new LinkedHashMap<>();

    static String url(String svc) {
        return "http://localhost:" + PORTS.get(svc);
    }

    @AfterAll
    static void stop() throws Exception {
        EndToEndTest.stopAll(SERVICES.values());
    }

    static Path emotionHome() {
        String home = System.getenv("EMOTION_HOME");
        return home != null && !home.isBlank() ? Path.of(home) : Path.of("..", ".emotion").toAbsolutePath();
    }

    static KafkaConsumer<String, String> consumer() {
        java.util.Properties p = new java.util.Properties();
        p.put("bootstrap.servers", RealKafkaBroker.bootstrapServers());
        return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    }

    /** End offsets of every dead-letter topic's partitions. */
    static Map<TopicPartition, Long> deadLetterEnds() {
        try (KafkaConsumer<String, String> c = consumer()) {
            List<TopicPartition> parts = new ArrayList<>();
            for (Topic t : Topic.values()) {
                c.partitionsFor(t.deadLetterTopic(), Duration.ofSeconds(10)).forEach(i ->
                        parts.add(new TopicPartition(i.topic(), i.partition())));
            }
            return new HashMap<>(c.endOffsets(parts, Duration.ofSeconds(10)));
        }
    }

    /**
     * The dead letters written since {@code before} that concern {@code study} (other services of the suite may
     * park other tests' deliberately bad records meanwhile: those are not this test's).
     */
    static List<String> lettersAbout(String study, Map<TopicPartition, Long> before) {
        List<String> found = new ArrayList<>();
        try (KafkaConsumer<String, String> c = consumer()) {
            Map<TopicPartition, Long> end = c.endOffsets(before.keySet(), Duration.ofSeconds(10));
            c.assign(before.keySet());
            before.forEach(c::seek);
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (before.keySet().stream().anyMatch(tp -> c.position(tp) < end.get(tp))
                    && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(500)).forEach(r -> {
                    if (r.value() != null && r.value().contains(study)) {
                        found.add(r.topic() + ": " + r.value());
                    }
                });
            }
        }
        return found;
    }

    @Test
    void aBrokerKilledMidIngestLosesAndDuplicatesNothing() throws Exception {
        Path pidFile = emotionHome().resolve("run").resolve("kafka.pid");
        assertTrue(Files.isRegularFile(pidFile), "no broker PID file at " + pidFile + ": this test kills and "
                + "restarts the local broker; run the tests with ./emotion test (or ./emotion kafka start first)");
        long brokerPid = Long.parseLong(Files.readString(pidFile).trim());
        assertTrue(ProcessHandle.of(brokerPid).map(ProcessHandle::isAlive).orElse(false),
                "the broker in " + pidFile + " is not running");
        Path home = Path.of("target", "broker-restart-" + UUID.randomUUID().toString().substring(0, 8))
                .toAbsolutePath();
        TrainingFailoverTest.home = home;
        Files.createDirectories(home.resolve("logs"));
        assertEquals(0, Main.run(new String[] {"synth", "--participants", "1", "--seconds", "180", "--out",
                home.resolve("data/ingest/study").toString(), "--study", "restart"}));
        String group = "restart-" + UUID.randomUUID();
        for (String svc : List.of("ingest", "training")) {
            PORTS.put(svc, EndToEndTest.freePort());
            SERVICES.put(svc, TrainingFailoverTest.startService(svc, svc + "-restart", PORTS.get(svc),
                    home.resolve("data").resolve(svc), group + "-" + svc, home));
        }
        for (String svc : PORTS.keySet()) {
            TrainingFailoverTest.await(svc + " ready", 120, () -> EndToEndTest.status(url(svc) + "/q/health/ready")
                    == 200);
        }
        Map<TopicPartition, Long> lettersBefore = deadLetterEnds();
        String study = "restart-" + UUID.randomUUID().toString().substring(0, 8);
        String job = Contracts.mapper().readTree(TrainingFailoverTest.postJson(url("ingest") + "/api/v1/ingest/jobs",
                Map.of("studyId", study, "participantId", "p01", "video", "study/p01.mp4", "labels",
                        "study/p01.csv", "split", "train", "maxFps", 10))).path("jobId").asText();
        TrainingFailoverTest.await(job + " publishing batches", 120, () -> TrainingFailoverTest.get(url("ingest")
                + "/api/v1/ingest/jobs/" + job).path("batchesPublished").asLong() >= 2);

        ProcessHandle.of(brokerPid).orElseThrow().destroyForcibly();
        long killed = System.nanoTime();
        while (ProcessHandle.of(brokerPid).map(ProcessHandle::isAlive).orElse(false)) {
            Thread.sleep(100);
        }
        Thread.sleep(5000); // down for a while
        Process restart = new ProcessBuilder("bash", Path.of("..", "emotion").toAbsolutePath().toString(), "kafka",
                "start").redirectErrorStream(true).redirectOutput(home.resolve("logs/kafka-restart.log").toFile())
                .start();
        assertEquals(0, restart.waitFor(), "./emotion kafka start failed: " + home.resolve("logs"));
        System.out.printf("broker restart: down %.1f s%n", (System.nanoTime() - killed) / 1e9);

        TrainingFailoverTest.await(job + " ends", 300, () -> TrainingFailoverTest.get(url("ingest")
                + "/api/v1/ingest/jobs/" + job).path("state").asText().matches("completed|failed"));
        JsonNode state = TrainingFailoverTest.get(url("ingest") + "/api/v1/ingest/jobs/" + job);
        assertEquals("completed", state.path("state").asText(), "the job survives the broker's restart: " + state);
        IngestCompleted manifest;
        try (KafkaProbe kafka = new KafkaProbe()) {
            manifest = Contracts.parse(kafka.await(Topic.INGEST_COMPLETED.topicName(), r -> r.value().contains(job),
                    Duration.ofSeconds(30)).value(), IngestCompleted.class);
        }
        long expected = manifest.participants().stream().mapToLong(IngestCompleted.ParticipantCounts::labelled)
                .sum() + (manifest.excluded() == null ? 0 : manifest.excluded().values().stream()
                .mapToLong(Long::longValue).sum());
        long[] stored = new long[1];
        TrainingFailoverTest.await("training-service stores " + expected + " frames of " + study, 120, () -> {
            JsonNode d = TrainingFailoverTest.get(url("training") + "/api/v1/datasets/" + study);
            stored[0] = 0;
            d.path("storedSamples").forEach(n -> stored[0] += n.asLong());
            return stored[0] >= expected;
        });
        Thread.sleep(3000); // late duplicates, if any, would land now
        JsonNode d = TrainingFailoverTest.get(url("training") + "/api/v1/datasets/" + study);
        long after = 0;
        for (JsonNode n : d.path("storedSamples")) {
            after += n.asLong();
        }
        System.out.printf("broker restart: %d frames in the manifest, %d stored%n", expected, after);
        assertEquals(expected, after, "every frame exactly once, by identity");
        assertEquals(List.of(), lettersAbout(study, lettersBefore), "nothing of this study dead-lettered");
    }
}
