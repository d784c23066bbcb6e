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

    /**
     * Runs one request to its end: returning is an end (the request is then committed), unless the job was handed
     * over; throwing means the end could not be recorded (e.g. the broker is away): the request is taken again after
     * {@link #RETRY_AFTER}.
     */
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
    private final java.util.concurrent.CountDownLatch joined = new java.util.concurrent.CountDownLatch(1);
    private volatile Running current;

    /** How long a worker waits before taking again a request whose handler threw. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(10);

    private volatile long retryAt;

    private record Running(ConsumerRecord<String, String> record, Future<Boolean> future, AtomicBoolean flag)
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
        this(kafka, topic, groupId, workerId, handler, executor, sessionTimeout, "earliest");
    }

    /**
     * @param startAt where a group without committed offsets starts: {@code earliest} (every request ever
     *                published; jobs that already ended are skipped by their handler) or {@code latest} (tests: a
     *                fresh group per run, so requests of earlier runs stay where they are): the group's position on
     *                every partition is set to the topic's end once, when the group is created, so a request
     *                published after that is never skipped, whichever worker ends up owning its partition
     */
    public JobWorker(KafkaClients kafka, String topic, String groupId, String workerId, Handler handler,
                     ExecutorService executor, Duration sessionTimeout, String startAt) {
        if ("latest".equals(startAt)) {
            startGroupAtEnd(kafka, topic, groupId, workerId);
        }
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

    /**
     * A group that has no committed offsets yet gets the topic's end offsets as its position (possible only while
     * it has no member: the first worker to start does it; a later one finds offsets and leaves them).
     */
    private static void startGroupAtEnd(KafkaClients kafka, String topic, String groupId, String workerId) {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                kafka.admin(workerId + "-group-start"));
             KafkaConsumer<String, String> c = new KafkaConsumer<>(kafka.consumer(workerId + "-ends", null),
                     new StringDeserializer(), new StringDeserializer())) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(10, java.util.concurrent.TimeUnit.SECONDS);
            if (committed != null && !committed.isEmpty()) {
                return;
            }
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            Map<TopicPartition, OffsetAndMetadata> ends = new java.util.HashMap<>();
            c.endOffsets(parts, Duration.ofSeconds(10)).forEach((tp, o) -> ends.put(tp, new OffsetAndMetadata(o)));
            admin.alterConsumerGroupOffsets(groupId, ends).all().get(10, java.util.concurrent.TimeUnit.SECONDS);
            LOG.infof("%s: new group %s starts at the end of %s", workerId, groupId, topic);
        } catch (Exception e) { // another worker was first (the group is active): its offsets stand
            LOG.debugf("%s: group %s start position left as it is: %s", workerId, groupId, e.toString());
        }
    }

    /**
     * A service's worker on {@code topic}, with its {@link WorkerSettings} (group {@code <service>-workers} unless
     * set), started; says in the log that it joined.
     */
    public static JobWorker join(KafkaClients kafka, String topic, WorkerSettings settings, String service,
                                 String workerId, Handler handler, ExecutorService executor) {
        String group = settings.groupId(service);
        JobWorker w = new JobWorker(kafka, topic, group, workerId, handler, executor, settings.sessionTimeout(),
                settings.startAt()).start();
        LOG.infof("%s worker %s joined group %s on %s", service, workerId, group, topic);
        return w;
    }

    public JobWorker start() {
        thread.start();
        return this;
    }

    public String workerId() {
        return workerId;
    }

    /**
     * Waits until the worker has joined its group and resolved where it reads (so a request published afterwards
     * is seen, whatever {@code startAt} says); false when that took longer than {@code wait}.
     */
    public boolean awaitJoined(Duration wait) {
        try {
            return joined.await(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
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
                    for (TopicPartition tp : partitions) {
                        consumer.position(tp); // resolve the start offset now (committed, or startAt)
                    }
                    if (current != null) {
                        consumer.pause(partitions); // still busy: new partitions wait too
                    }
                    joined.countDown();
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    onPartitionsRevoked(partitions);
                }
            });
            while (running.get()) {
                try {
                    ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
                    Running r = current;
                    if (r != null && r.future().isDone()) {
                        finish(r);
                        r = null;
                    }
                    if (r == null && retryAt != 0 && System.nanoTime() >= retryAt) {
                        retryAt = 0;
                        consumer.resume(consumer.paused());
                    }
                    if (r == null) {
                        for (ConsumerRecord<String, String> record : records) { // at most one (max.poll.records)
                            start(record);
                        }
                    }
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) { // the broker away, a failed commit: keep the worker alive
                    LOG.errorf("%s: %s; going on", workerId, e.toString());
                    Thread.sleep(1000);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        try {
            // The group's position moves to this very record: whoever owns the partition next (this worker dead
            // or stopped) starts from it, whatever the group's start-at says.
            consumer.commitSync(Map.of(tp, new OffsetAndMetadata(record.offset())));
        } catch (RuntimeException e) { // a rebalance under way, the broker away: take it on a later poll
            LOG.infof("%s: job %s not taken yet (%s); reading it again", workerId, record.key(), e.getMessage());
            try {
                consumer.seek(tp, record.offset());
            } catch (IllegalStateException gone) {
                LOG.debugf("%s: partition %s went to another worker with job %s", workerId, tp, record.key());
            }
            return;
        }
        Set<TopicPartition> assigned = new HashSet<>(consumer.assignment());
        consumer.pause(assigned);
        AtomicBoolean handedOver = new AtomicBoolean();
        Job job = handedOver::get;
        java.util.concurrent.FutureTask<Boolean> task = new java.util.concurrent.FutureTask<>(() -> {
            try {
                handler.run(record, job);
                return true;
            } catch (Exception | Error e) { // the handler reports its own failures; this one it could not record
                LOG.errorf(e, "%s: job %s could not record its end; taking it again in %s", workerId, record.key(),
                        RETRY_AFTER);
                return false;
            }
        });
        current = new Running(record, task, handedOver);
        executor.execute(task);
        LOG.infof("%s: took job %s (%s partition %d offset %d)", workerId, record.key(), record.topic(),
                record.partition(), record.offset());
    }

    private void finish(Running r) {
        current = null;
        if (r.handedOver()) {
            consumer.resume(consumer.paused());
            return;
        }
        boolean ended;
        try {
            ended = r.future().get();
        } catch (Exception e) {
            ended = false;
        }
        if (!ended) { // read it again after a pause; the other partitions wait too (one job at a time)
            consumer.seek(r.partition(), r.record().offset());
            retryAt = System.nanoTime() + RETRY_AFTER.toNanos();
            return;
        }
        try {
            consumer.commitSync(Map.of(r.partition(), new OffsetAndMetadata(r.record().offset() + 1)));
            LOG.infof("%s: job %s done, request committed", workerId, r.record().key());
        } catch (RuntimeException e) { // a redelivery finds the job ended and skips it
            LOG.warnf("%s: job %s done but its request not committed (%s)", workerId, r.record().key(), e);
        }
        consumer.resume(consumer.paused());
    }

    /**
     * Waits (up to {@code max}) until {@code view} has read {@code topic} up to its current end, so a job's state
     * read from it includes every event published before now. False when it did not catch up in time (or the end
     * offsets could not be read); the caller goes on with what it has.
     */
    public static boolean awaitView(KafkaClients kafka, String clientId, String topic,
                                    dev.emotion.core.view.ViewPosition view, Duration max) {
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(kafka.consumer(clientId, null),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            Map<Integer, Long> ends = new java.util.HashMap<>();
            c.endOffsets(parts, Duration.ofSeconds(10)).forEach((tp, o) -> ends.put(tp.partition(), o));
            long deadline = System.nanoTime() + max.toNanos();
            while (!view.caughtUp(ends)) {
                if (System.nanoTime() > deadline) {
                    LOG.warnf("the view of %s has not caught up with %s after %s; going on", topic, ends, max);
                    return false;
                }
                Thread.sleep(200);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (RuntimeException e) {
            LOG.warnf("could not read the end offsets of %s (%s); going on", topic, e.getMessage());
            return false;
        }
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
