package dev.emotion.kit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emotion.testkit.KafkaProbe;
import dev.emotion.testkit.RealKafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/** Against the real broker: jobs shared by a worker group, each done once, and handed over when a worker stops. */
class JobWorkerTest {

    static final KafkaClients KAFKA = KafkaClients.of(Map.of("bootstrap.servers",
            RealKafkaBroker.bootstrapServers()));

    static String topic(int partitions) throws Exception {
        String topic = "kit-jobs-" + UUID.randomUUID();
        try (Admin admin = Admin.create(KAFKA.admin("test"))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
        return topic;
    }

    static JobWorker worker(String topic, String group, String name, JobWorker.Handler handler) {
        ExecutorService one = Executors.newSingleThreadExecutor();
        return new JobWorker(KAFKA, topic, group, name, handler, one, Duration.ofSeconds(6)).start();
    }

    @Test
    void twoWorkersShareTheJobsAndEachJobEndsOnce() throws Exception {
        String topic = topic(6);
        String group = "workers-" + UUID.randomUUID();
        Map<String, List<String>> ranBy = new ConcurrentHashMap<>();
        JobWorker.Handler handler = (request, job) -> {
            ranBy.computeIfAbsent(request.key(), k -> new CopyOnWriteArrayList<>())
                    .add(Thread.currentThread().getName());
            Thread.sleep(1500);
        };
        ExecutorService a = Executors.newSingleThreadExecutor(r -> new Thread(r, "worker-a"));
        ExecutorService b = Executors.newSingleThreadExecutor(r -> new Thread(r, "worker-b"));
        try (JobWorker wa = new JobWorker(KAFKA, topic, group, "worker-a", handler, a, Duration.ofSeconds(6)).start();
             JobWorker wb = new JobWorker(KAFKA, topic, group, "worker-b", handler, b, Duration.ofSeconds(6)).start();
             KafkaProbe probe = new KafkaProbe()) {
            // both in the group (a stable assignment, partitions each) before the jobs arrive
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                Map<String, java.util.Set<Integer>> owned = probe.groupAssignment(group, topic);
                return owned.size() == 2 && owned.values().stream().noneMatch(java.util.Set::isEmpty);
            });
            for (int i = 0; i < 8; i++) {
                probe.send(topic, "job-" + i, "{}");
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> ranBy.size() == 8
                    && wa.runningJob() == null && wb.runningJob() == null);
        }
        System.out.println("jobs ran by " + ranBy);
        ranBy.forEach((job, workers) -> assertEquals(1, workers.size(), job + " ran once: " + workers));
        assertTrue(ranBy.values().stream().anyMatch(w -> w.contains("worker-a"))
                && ranBy.values().stream().anyMatch(w -> w.contains("worker-b")), "both workers did work: " + ranBy);

        // everything was committed: a new worker of the group finds nothing left to do
        List<String> late = new CopyOnWriteArrayList<>();
        try (JobWorker again = worker(topic, group, "worker-c", (r, j) -> late.add(r.key()))) {
            Thread.sleep(8000);
        }
        assertEquals(List.of(), late);
    }

    @Test
    void aJobWhoseWorkerStopsMidwayIsHandedToTheNextOwnerAndFinishedThere() throws Exception {
        String topic = topic(1);
        String group = "workers-" + UUID.randomUUID();
        List<String> events = new CopyOnWriteArrayList<>();
        JobWorker.Handler handler = (request, job) -> {
            String me = Thread.currentThread().getName();
            events.add(me + " started " + request.key());
            for (int step = 0; step < 40; step++) { // a long job that checks between steps
                if (job.handedOver()) {
                    events.add(me + " handed over " + request.key());
                    return;
                }
                Thread.sleep(me.equals("first") ? 500 : 50);
            }
            events.add(me + " finished " + request.key());
        };
        ExecutorService first = Executors.newSingleThreadExecutor(r -> new Thread(r, "first"));
        ExecutorService second = Executors.newSingleThreadExecutor(r -> new Thread(r, "second"));
        JobWorker a = new JobWorker(KAFKA, topic, group, "first", handler, first, Duration.ofSeconds(6)).start();
        try (KafkaProbe probe = new KafkaProbe()) {
            probe.send(topic, "long-job", "{}");
            await().atMost(Duration.ofSeconds(30)).until(() -> events.contains("first started long-job"));
            try (JobWorker b = new JobWorker(KAFKA, topic, group, "second", handler, second,
                    Duration.ofSeconds(6)).start()) {
                Thread.sleep(2000);
                assertEquals("long-job", a.runningJob(), "the first worker keeps its job while the group grows: " + events);
                a.close(); // the service stops mid-job (a restart, a scale-down)
                await().atMost(Duration.ofSeconds(60)).until(() -> events.contains("second finished long-job"));
            }
        }
        System.out.println("events " + events);
        assertEquals(List.of("first started long-job", "first handed over long-job", "second started long-job",
                "second finished long-job"), events);
    }
}
