package dev.emotion.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /** Posts one job per participant and waits until all ended; returns their ids and the seconds it took. */
    static List<String> ingestAll(String worker, String study, List<String> participants, double[] seconds)
            throws Exception {
        long t0 = System.nanoTime();
        List<String> ids = new ArrayList<>();
        for (String p : participants) {
            ids.add(Contracts.mapper().readTree(TrainingFailoverTest.postJson(url(worker) + "/api/v1/ingest/jobs",
                    Map.of("studyId", study, "participantId", p, "video", "study/" + p + ".mp4", "labels",
                            "study/" + p + ".csv", "split", "train", "maxFps", 5))).path("jobId").asText());
        }
        for (String id : ids) {
            TrainingFailoverTest.await(id + " completes", 300, () -> TrainingFailoverTest.get(url(worker)
                    + "/api/v1/ingest/jobs/" + id).path("state").asText().equals("completed"));
        }
        seconds[0] = (System.nanoTime() - t0) / 1e9;
        return ids;
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
        double[] two = new double[1];
        List<String> ids = ingestAll("ingest-a", study, participants, two);
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
                    .filter(r -> study.equals(r.key())).map(r -> Contracts.parse(r.value(), IngestCompleted.class))
                    .toList();
            assertEquals(new TreeSet<>(ids), manifests.stream().map(IngestCompleted::jobId)
                    .collect(Collectors.toCollection(TreeSet::new)));
            assertEquals(4, manifests.size(), "one manifest per job, none twice");
        }

        WORKERS.get("ingest-b").destroy();
        WORKERS.get("ingest-b").waitFor();
        double[] one = new double[1];
        ingestAll("ingest-a", study + "-one", participants, one);
        System.out.printf("ingest sharing: 4 jobs (4 x 6 s of 320x240 video at 5 fps) on 2 workers %.1f s, on 1 "
                + "worker %.1f s (%.2fx; 2 cores)%n", two[0], one[0], one[0] / two[0]);
        assertTrue(two[0] > 0 && one[0] > 0);
    }
}
