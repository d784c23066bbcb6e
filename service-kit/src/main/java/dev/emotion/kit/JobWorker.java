package dev.emotion.kit;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * One worker of a service's worker group: consumes its requests topic in the group, runs one job at a time on
 * {@code executor}, and commits a request only once its job has ended, so a job is never lost: a worker that dies
 * (its session expires) or shuts down leaves the uncommitted request to whoever owns the partition next, which
 * resumes or restarts it.
 *
 * <p>Built by hand, not as a connector channel: a job runs for minutes to hours, so the worker pauses its
 * partitions and keeps polling (heartbeats, no poll-interval expiry) while the job runs, commits that one record
 * when the job ends, and must be told when the partition of its running job is taken away (a rebalance), so that
 * the job stops instead of running twice ({@link Job#handedOver}). Partitions move as little as possible
 * (cooperative sticky assignment).
 */
public final class JobWorker implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(JobWorker.class);

    /** The running job's view of its worker. */
    public interface Job {
        /** True once the job's request went to another worker: stop soon, publish no terminal state. */
        boolean handedOver();
    }

    /** Runs one request to its end (any outcome but a hand-over is an end: the request is then committed). */
    public interface Handler {
        void run(ConsumerRecord<String, String> request, Job job) throws Exception;
    }

    private final KafkaConsumer<String, String> consumer;
    private final String topic;
    private final String workerId;
    private final Handler handler;
    private final ExecutorService executor;
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Duration handOverWait;
    private volatile Running current;

    private record Running(ConsumerRecord<String, String> record, Future<?> future, AtomicBoolean flag)
            implements Job {
        @Override
        public boolean handedOver() {
            return flag.get();
        }

        TopicPartition partition() {
            return new TopicPartition(record.topic(), record.partition());
        }
    }

    /**
     * @param groupId      the worker group (every replica of the service uses the same one)
     * @param workerId     this worker's name in logs and progress events
     * @param executor     where jobs run (one thread: one job at a time; the service may queue its own work there)
     * @param sessionTimeout how long a silent worker keeps its partitions before they go to another worker
     */
    public JobWorker(KafkaClients kafka, String topic, String groupId, String workerId, Handler handler,
                     ExecutorService executor, Duration sessionTimeout) {
        Properties p = kafka.consumer(workerId, groupId);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionTimeout.toMillis());
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(500, sessionTimeout.toMillis() / 4));
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        this.topic = topic;
        this.workerId = workerId;
        this.handler = handler;
        this.executor = executor;
        this.handOverWait = Duration.ofSeconds(30);
        this.thread = new Thread(this::loop, workerId + "-requests");
        this.thread.setDaemon(true);
    }

    public JobWorker start() {
        thread.start();
        return this;
    }

    public String workerId() {
        return workerId;
    }

    /** The id (record key) of the job this worker runs now, or null. */
    public String runningJob() {
        Running r = current;
        return r == null ? null : r.record().key();
    }

    private void loop() {
        try {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    Running r = current;
                    if (r != null && partitions.contains(r.partition())) {
                        if (r.future().isDone()) {
                            finish(r); // ended just now: commit while the partition is still ours
                            return;
                        }
                        LOG.warnf("%s: the partition of job %s moved to another worker; stopping it here",
                                workerId, r.record().key());
                        r.flag().set(true);
                        awaitEnd(r, handOverWait);
                        current = null;
                        consumer.resume(consumer.paused());
                    }
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    if (current != null) {
                        consumer.pause(partitions); // still busy: new partitions wait too
                    }
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    onPartitionsRevoked(partitions);
                }
            });
            while (running.get()) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
                Running r = current;
                if (r != null && r.future().isDone()) {
                    finish(r);
                    r = null;
                }
                if (r == null) {
                    for (ConsumerRecord<String, String> record : records) { // at most one (max.poll.records)
                        start(record);
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s: the request consumer stopped", workerId);
        } finally {
            Running r = current;
            if (r != null && r.future().isDone()) {
                finish(r);
            } else if (r != null) { // shutting down mid-job: leave it to the next owner
                r.flag().set(true);
                awaitEnd(r, Duration.ofSeconds(10));
            }
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void start(ConsumerRecord<String, String> record) {
        Set<TopicPartition> assigned = new HashSet<>(consumer.assignment());
        consumer.pause(assigned);
        AtomicBoolean handedOver = new AtomicBoolean();
        Job job = handedOver::get;
        java.util.concurrent.FutureTask<Void> task = new java.util.concurrent.FutureTask<>(() -> {
            try {
                handler.run(record, job);
            } catch (Exception | Error e) { // the handler reports its own failures; this is the last resort
                LOG.errorf(e, "%s: job %s ended with an uncaught error", workerId, record.key());
            }
            return null;
        });
        current = new Running(record, task, handedOver);
        executor.execute(task);
        LOG.infof("%s: took job %s (%s partition %d offset %d)", workerId, record.key(), record.topic(),
                record.partition(), record.offset());
    }

    private void finish(Running r) {
        current = null;
        if (!r.handedOver()) {
            consumer.commitSync(Map.of(r.partition(), new OffsetAndMetadata(r.record().offset() + 1)));
            LOG.infof("%s: job %s done, request committed", workerId, r.record().key());
        }
        consumer.resume(consumer.paused());
    }

    private static void awaitEnd(Running r, Duration wait) {
        try {
            r.future().get(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.debugf("job %s did not end within %s: %s", r.record().key(), wait, e.toString());
        }
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
        try {
            thread.join(20_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
