package dev.emotion.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.emotion.cli.Main;
import dev.emotion.core.contract.Contracts;
import dev.emotion.core.contract.IngestCompleted;
import dev.emotion.core.contract.IngestProgress;
import dev.emotion.core.contract.JobState;
import dev.emotion.core.contract.Topic;
import dev.emotion.testkit.KafkaProbe;
import dev.emotion.testkit.RealKafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * Scale-out of ingest, with real processes on the real broker: two ingest-service workers (one worker group, one
 * shared data directory) share four jobs; both do work, every job completes exactly once (one completed event, one
 * manifest). The same four jobs on one worker give the time to compare (on two cores little speed-up is expected:
 * the point is correct sharing).
 */
class IngestSharingTest {

    static final Map<String, Process> WORKERS = new LinkedHashMap<>();
    static final Map<String, Integer> PORTS = new LinkedHashMap<>();
    static Path home;

    static String url(String worker) {
        return "http://localhost:" + PORTS.get(worker);
    }

    @AfterAll
    static void stop() throws Exception {
        EndToEndTest.stopAll(WORKERS.values());
    }

    /** Posts one ingest job of {@code participant} to {@code worker}; returns its id. */
    static String submit(String worker, String study, String participant) throws Exception {
        return Contracts.mapper().readTree(TrainingFailoverTest.postJson(url(worker) + "/api/v1/ingest/jobs",
                Map.of("studyId", study, "participantId", participant, "video", "study/" + participant + ".mp4",
                        "labels", "study/" + participant + ".csv", "split", "train", "maxFps", 5)))
                .path("jobId").asText();
    }

    static void awaitCompleted(String worker, List<String> ids) throws Exception {
        for (String id : ids) {
            TrainingFailoverTest.await(id + " completes", 300, () -> TrainingFailoverTest.get(url(worker)
                    + "/api/v1/ingest/jobs/" + id).path("state").asText().equals("completed"));
        }
    }

    /** The partition each job's request went to (a job id is its request's key). */
    static Map<String, Integer> requestPartitions(KafkaProbe kafka, List<String> ids) {
        Map<String, Integer> partitions = new LinkedHashMap<>();
        for (var r : kafka.readToEnd(Topic.INGEST_REQUESTS.topicName())) {
            if (ids.contains(r.key())) {
                partitions.put(r.key(), r.partition());
            }
        }
        return partitions;
    }

    @Test
    void twoIngestWorkersShareFourJobsAndEachIsDoneOnce() throws Exception {
        home = Path.of("target", "ingest-sharing-" + UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();
        TrainingFailoverTest.home = home;
        Files.createDirectories(home.resolve("logs"));
        new RealKafkaBroker().start();
        Path shared = home.resolve("data"); // the one data directory of every ingest replica
        assertEquals(0, Main.run(new String[] {"synth", "--participants", "4", "--seconds", "6", "--out",
                shared.resolve("study").toString(), "--study", "sharing"}));
        String group = "ingest-sharing-" + UUID.randomUUID();
        for (String w : List.of("ingest-a", "ingest-b")) {
            PORTS.put(w, EndToEndTest.freePort());
            WORKERS.put(w, TrainingFailoverTest.startService("ingest", w, PORTS.get(w), shared, group, home));
        }
        for (String w : PORTS.keySet()) {
            TrainingFailoverTest.await(w + " ready", 120, () -> EndToEndTest.status(url(w) + "/q/health/ready")
                    == 200);
        }
        List<String> participants = List.of("p01", "p02", "p03", "p04");
        String study = "sharing-" + UUID.randomUUID().toString().substring(0, 8);
        String requests = Topic.INGEST_REQUESTS.topicName();
        List<String> ids = new ArrayList<>();
        long t0;
        try (KafkaProbe kafka = new KafkaProbe()) {
            // "ready" is HTTP + broker; the group forms a little later: wait until each worker owns partitions
            var owned = new java.util.concurrent.atomic.AtomicReference<Map<String, Set<Integer>>>(Map.of());
            TrainingFailoverTest.await("both workers own request partitions in " + group, 120, () -> {
                owned.set(kafka.groupAssignment(group, requests));
                return owned.get().size() == 2 && owned.get().values().stream().noneMatch(Set::isEmpty);
            });
            t0 = System.nanoTime();
            // job ids are random keys: post the four participants, then more rounds until each worker's
            // partitions got at least one request (four jobs all land on one worker one time in eight)
            for (int round = 0; round < 4; round++) {
                for (String p : participants) {
                    ids.add(submit("ingest-a", study + "-" + round, p)); // a study per round: no participant twice
                }
                Set<Integer> used = new TreeSet<>(requestPartitions(kafka, ids).values());
                if (owned.get().values().stream().allMatch(ps -> ps.stream().anyMatch(used::contains))) {
                    break;
                }
            }
        }
        awaitCompleted("ingest-a", ids);
        double[] two = {(System.nanoTime() - t0) / 1e9};
        try (KafkaProbe kafka = new KafkaProbe()) {
            List<IngestProgress> events = kafka.readToEnd(Topic.INGEST_PROGRESS.topicName()).stream()
                    .filter(r -> ids.contains(r.key())).map(r -> Contracts.parse(r.value(), IngestProgress.class))
                    .toList();
            for (String id : ids) {
                assertEquals(1, events.stream().filter(e -> e.jobId().equals(id) && e.state() == JobState.COMPLETED)
                        .count(), id + " completed exactly once: " + events);
            }
            Set<String> workers = events.stream().filter(e -> e.state() == JobState.COMPLETED)
                    .map(IngestProgress::worker).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(new TreeSet<>(PORTS.keySet()), workers, "both workers did work");
            List<IngestCompleted> manifests = kafka.readToEnd(Topic.INGEST_COMPLETED.topicName()).stream()
                    .filter(r -> r.key() != null && r.key().startsWith(study + "-")) // this run's studies only
                    .map(r -> Contracts.parse(r.value(), IngestCompleted.class)).filter(m -> ids.contains(m.jobId()))
                    .toList();
            assertEquals(new TreeSet<>(ids), manifests.stream().map(IngestCompleted::jobId)
                    .collect(Collectors.toCollection(TreeSet::new)));
            assertEquals(ids.size(), manifests.size(), "one manifest per job, none twice");
        }

        WORKERS.get("ingest-b").destroy();
        WORKERS.get("ingest-b").waitFor();
        long t1 = System.nanoTime();
        List<String> alone = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            alone.add(submit("ingest-a", study + "-one-" + i / participants.size(),
                    participants.get(i % participants.size())));
        }
        awaitCompleted("ingest-a", alone);
        double one = (System.nanoTime() - t1) / 1e9;
        System.out.printf("ingest sharing: %d jobs (6 s of 320x240 video at 5 fps each) on 2 workers %.1f s, on 1 "
                + "worker %.1f s (%.2fx; 2 cores)%n", ids.size(), two[0], one, one / two[0]);
    }
}
