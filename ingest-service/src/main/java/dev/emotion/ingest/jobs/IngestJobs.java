package dev.emotion.ingest.jobs;

import dev.emotion.core.contract.Contract;
import dev.emotion.core.contract.IngestCompleted;
import dev.emotion.core.contract.IngestProgress;
import dev.emotion.core.contract.JobState;
import dev.emotion.core.contract.Topic;
import dev.emotion.core.faces.FaceDetector;
import dev.emotion.core.faces.FaceDetectors;
import dev.emotion.core.faces.FacePipeline;
import dev.emotion.core.ingest.IngestOptions;
import dev.emotion.core.ingest.StillsIngest;
import dev.emotion.core.labels.StillsIndex;
import dev.emotion.core.ingest.VideoIngest;
import dev.emotion.core.view.JobBoard;
import dev.emotion.core.contract.Contracts;
import dev.emotion.core.contract.JobRequest;
import dev.emotion.kit.JobWorker;
import dev.emotion.kit.KafkaClients;
import dev.emotion.kit.RecordPublisher;
import dev.emotion.kit.WorkerSettings;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Ingest jobs as records (docs/adr/0004-jobs-as-records.md): a checked request is announced queued and published on
 * {@link Topic#INGEST_REQUESTS}; every replica is a worker of one consumer group on it and runs one job at a time
 * (decoding and detection already use both cores): publishes the face batches, progress events at most once a
 * second naming the worker, and at the end either the manifest or a failure event, never both. A worker that dies
 * or stops mid-job leaves it to the next owner, which ingests the videos again (frames are idempotent by identity:
 * the stores keep each once). The files a job names must be where every worker sees them: the ingest replicas share
 * one data directory. Job state lives in Kafka, so any replica answers status queries.
 */
@ApplicationScoped
public class IngestJobs {

    private static final Logger LOG = Logger.getLogger(IngestJobs.class);

    private final RecordPublisher publisher;
    private final JobBoard board;
    private final MeterRegistry metrics;
    private final JobPlanner planner;
    private final Path dataDir;
    private final Path faceModel;
    private final float scoreThreshold;
    private final int minFaceSize;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "ingest-worker"));
    private final KafkaClients kafka;
    private final String workerId;
    private final WorkerSettings settings;
    private volatile JobWorker requests;
    private final dev.emotion.core.view.StudyCatalog studies;

    public IngestJobs(RecordPublisher publisher, JobBoard board, MeterRegistry metrics, KafkaClients kafka,
                      @ConfigProperty(name = "emotion.data-dir") String dataDir,
                      @ConfigProperty(name = "emotion.faces.model") Optional<String> faceModel,
                      @ConfigProperty(name = "emotion.faces.score-threshold", defaultValue = "0.5") float scoreThreshold,
                      @ConfigProperty(name = "emotion.faces.min-size", defaultValue = "24") int minFaceSize,
                      WorkerSettings settings, dev.emotion.core.view.StudyCatalog studies) {
        this.studies = studies;
        this.kafka = kafka;
        this.workerId = settings.workerId("ingest");
        this.settings = settings;
        this.publisher = publisher;
        this.board = board;
        this.metrics = metrics;
        this.dataDir = Path.of(dataDir).toAbsolutePath().normalize();
        this.planner = new JobPlanner(this.dataDir);
        this.faceModel = faceModel.filter(s -> !s.isBlank()).map(Path::of).orElse(FaceDetectors.defaultModelPath());
        this.scoreThreshold = scoreThreshold;
        this.minFaceSize = minFaceSize;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Joins the worker group once the topics exist (after {@code TopicSetup}). */
    void startWorker(@jakarta.enterprise.event.Observes @jakarta.annotation.Priority(10)
                     io.quarkus.runtime.StartupEvent event) {
        requests = JobWorker.join(kafka, Topic.INGEST_REQUESTS.topicName(), settings, "ingest", workerId, this::take,
                worker);
    }

    public static String newJobId() {
        return "ingest-" + UUID.randomUUID();
    }

    /** Checks the request, announces the job (queued) and schedules it; returns the queued event. */
    public IngestProgress submit(IngestJobRequest request) {
        return enqueue(checked(planner.plan(newJobId(), request)));
    }

    public IngestProgress submitUploaded(String jobId, String studyId, String participantId, Path video, Path labels,
                                         String split, Double maxFps) {
        return enqueue(checked(planner.uploaded(jobId, studyId, participantId, video, labels, split, maxFps)));
    }

    /** A study of stills and clips unpacked in {@code dir}: checked, then queued like any job. */
    public IngestProgress submitStills(String jobId, String studyId, Path dir, String split, Long seed,
                                       Boolean aligned, Double maxFps) {
        return enqueue(planner.stills(jobId, studyId, dir, split, seed, aligned, maxFps,
                studies.splits(studyId)));
    }

    /** A participant already in the study stays in their split (see {@link JobPlanner#sameSplits}). */
    private JobPlan checked(JobPlan plan) {
        java.util.Map<String, dev.emotion.core.contract.Split> planned = new java.util.TreeMap<>();
        plan.participants().forEach(i -> planned.put(i.participantId(), i.split()));
        JobPlanner.sameSplits(plan.studyId(), studies.splits(plan.studyId()), planned);
        return plan;
    }

    private IngestProgress enqueue(JobPlan plan) {
        if (requests != null && !requests.awaitJoined(java.time.Duration.ofSeconds(30))) {
            LOG.warnf("ingest worker %s has not joined group %s yet; the request waits on the topic", workerId,
                    settings.groupId("ingest"));
        }
        IngestProgress queued = event(plan, JobState.QUEUED, new VideoIngest.Progress(0, 0, 0, 0),
                plan.stills() != null ? "a study of stills and clips queued"
                        : plan.participants().size() + " participant(s) queued", null);
        announce(queued);
        publisher.publish(Topic.INGEST_REQUESTS, plan.jobId(), new JobRequest(Contract.CURRENT_VERSION, "ingest",
                plan.jobId(), JobPlan.toMap(plan), Instant.now()));
        return queued;
    }

    /** A worker took an ingest request: run it unless its events say it already ended. */
    private void take(org.apache.kafka.clients.consumer.ConsumerRecord<String, String> record, JobWorker.Job job) {
        JobPlan plan;
        try {
            plan = JobPlan.fromMap(Contracts.parse(record.value(), JobRequest.class).request());
        } catch (RuntimeException e) {
            LOG.errorf("ingest request at %s-%d@%d is unreadable, skipped: %s", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return;
        }
        JobWorker.awaitView(kafka, workerId + "-offsets", Topic.INGEST_PROGRESS.topicName(), board.position(),
                java.time.Duration.ofMinutes(1));
        Optional<IngestProgress> latest = board.job(plan.jobId());
        if (latest.isPresent() && latest.get().state().isFinal()) {
            LOG.infof("ingest job %s already %s; not run again", plan.jobId(), latest.get().state().label());
            return;
        }
        for (JobPlan.Item item : plan.participants()) {
            for (Path f : java.util.Arrays.asList(item.video(), item.labels())) {
                if (f != null && !java.nio.file.Files.isRegularFile(f)) {
                    announce(event(plan, JobState.FAILED, new VideoIngest.Progress(0, 0, 0, 0), f.getFileName()
                            + " is not on worker " + workerId + ": the ingest replicas must share one data directory",
                            workerId));
                    return;
                }
            }
        }
        if (plan.stills() != null && !java.nio.file.Files.isRegularFile(plan.stills().labels())) {
            announce(event(plan, JobState.FAILED, new VideoIngest.Progress(0, 0, 0, 0), "the stills' labels.csv is not"
                    + " on worker " + workerId + ": the ingest replicas must share one data directory", workerId));
        } else if (plan.stills() != null) {
            runStills(plan, job);
        } else {
            run(plan, job);
        }
    }

    /** The job's partition went to another worker (or this one is stopping). */
    static final class HandedOver extends RuntimeException {
        HandedOver(String message) {
            super(message);
        }
    }

    private void run(JobPlan plan, JobWorker.Job job) {
        long started = System.nanoTime();
        announce(event(plan, JobState.RUNNING, new VideoIngest.Progress(0, 0, 0, 0), "started", workerId));
        IngestOptions options = new IngestOptions(new FacePipeline.Options(plan.maxFps(), 224, 1.4, 90),
                IngestOptions.DEFAULT.alignment(), IngestOptions.DEFAULT.toleranceMs(), IngestOptions.DEFAULT.policy(),
                IngestOptions.DEFAULT.maxFramesPerBatch(), IngestOptions.DEFAULT.maxBatchBytes());
        long[] done = new long[4];
        try (FaceDetector detector = FaceDetectors.open(faceModel, scoreThreshold, minFaceSize)) {
            List<IngestCompleted.ParticipantCounts> counts = new ArrayList<>();
            Map<String, Long> labels = new TreeMap<>();
            Map<String, Long> excluded = new TreeMap<>();
            String labelSource = "none";
            double fps = plan.maxFps();
            long[] lastEvent = {System.nanoTime()};
            List<Future<RecordMetadata>> inFlight = new ArrayList<>();
            for (JobPlan.Item item : plan.participants()) {
                long[] base = done.clone();
                VideoIngest.Outcome out = new VideoIngest(detector, options).run(plan.studyId(), item.participantId(),
                        plan.jobId(), item.split(), item.video(), item.labels(),
                        batch -> {
                            inFlight.add(publisher.send(Topic.INGEST_FRAMES, batch.key(), batch));
                            metrics.counter("emotion.ingest.faces.published").increment(batch.frames().size());
                        },
                        p -> {
                            if (job.handedOver()) {
                                throw new HandedOver("handed over after " + (base[0] + p.framesDecoded())
                                        + " frames");
                            }
                            if (System.nanoTime() - lastEvent[0] > 1_000_000_000L) {
                                lastEvent[0] = System.nanoTime();
                                awaitAll(inFlight); // progress counts only what the broker has stored
                                announce(event(plan, JobState.RUNNING, new VideoIngest.Progress(base[0]
                                        + p.framesDecoded(), base[1] + p.faces(), base[2] + p.labelled(), base[3]
                                        + p.batches()), item.participantId() + ": " + item.video().getFileName(),
                                        workerId));
                            }
                        });
                awaitAll(inFlight);
                counts.add(out.counts());
                out.labelCounts().forEach((k, v) -> labels.merge(k, v, Long::sum));
                out.excluded().forEach((k, v) -> excluded.merge(k, v, Long::sum));
                if (out.labels() != null) {
                    labelSource = out.labels().format();
                }
                fps = out.fps();
                done[0] += out.counts().frames();
                done[1] += out.counts().faces();
                done[2] += out.counts().labelled();
                done[3] += out.counts().batches();
                LOG.infof("job %s: %s done: %d frames, %d faces, %d labelled, %d batches", plan.jobId(),
                        item.participantId(), out.counts().frames(), out.counts().faces(), out.counts().labelled(),
                        out.counts().batches());
            }
            IngestCompleted manifest = new IngestCompleted(Contract.CURRENT_VERSION, plan.studyId(), plan.jobId(),
                    counts, labels, labelSource, new IngestCompleted.Detector(detector.name(), detector.fallback(),
                    detector.fallback() ? "MediaPipe model missing at " + faceModel + "; Haar cascade used" : null),
                    fps, Instant.now(), excluded);
            publisher.publish(Topic.INGEST_COMPLETED, plan.studyId(), manifest);
            double seconds = (System.nanoTime() - started) / 1e9;
            announce(event(plan, JobState.COMPLETED, new VideoIngest.Progress(done[0], done[1], done[2], done[3]),
                    String.format("%d frames in %.1f s (%.0f frames/s)", done[0], seconds, done[0] / seconds),
                    workerId));
        } catch (HandedOver e) {
            LOG.warnf("job %s %s; the next owner ingests it again", plan.jobId(), e.getMessage());
            announce(event(plan, JobState.RUNNING, new VideoIngest.Progress(done[0], done[1], done[2], done[3]),
                    e.getMessage() + " by " + workerId + "; the next worker ingests the videos again", workerId));
        } catch (RuntimeException | Error e) { // an Error (out of memory, a native library) fails the job too
            LOG.errorf("job %s failed: %s", plan.jobId(), e.getMessage());
            metrics.counter("emotion.ingest.jobs.failed").increment();
            // When the failure cannot be published either (the broker away), this throws: the worker reads the
            // request again later instead of committing a job whose end nobody was told.
            announce(event(plan, JobState.FAILED, new VideoIngest.Progress(done[0], done[1], done[2], done[3]),
                    e.getMessage() == null ? e.toString() : e.getMessage().replace(dataDir + "/", ""), workerId));
        }
    }

    /**
     * A study of stills and clips: the same detector and crops as videos, every participant's faces published, then
     * the manifest naming the files without a face; a bad file fails the whole job before the manifest.
     */
    private void runStills(JobPlan plan, JobWorker.Job job) {
        long started = System.nanoTime();
        announce(event(plan, JobState.RUNNING, new VideoIngest.Progress(0, 0, 0, 0), "started", workerId));
        JobPlan.Stills st = plan.stills();
        IngestOptions options = new IngestOptions(new FacePipeline.Options(plan.maxFps(), 224, 1.4, 90),
                IngestOptions.DEFAULT.alignment(), IngestOptions.DEFAULT.toleranceMs(), IngestOptions.DEFAULT.policy(),
                IngestOptions.DEFAULT.maxFramesPerBatch(), IngestOptions.DEFAULT.maxBatchBytes());
        StillsIngest.Progress[] last = {new StillsIngest.Progress(0, 0, 0)};
        try (FaceDetector detector = FaceDetectors.open(faceModel, scoreThreshold, minFaceSize)) {
            StillsIndex index = StillsIndex.read(st.labels(), st.dir(), st.split(), st.seed());
            long[] lastEvent = {System.nanoTime()};
            List<Future<RecordMetadata>> inFlight = new ArrayList<>();
            StillsIngest.Outcome out = new StillsIngest(detector, options, st.aligned()).run(plan.studyId(),
                    plan.jobId(), st.dir(), index, batch -> {
                        inFlight.add(publisher.send(Topic.INGEST_FRAMES, batch.key(), batch));
                        metrics.counter("emotion.ingest.faces.published").increment(batch.frames().size());
                    }, p -> {
                        last[0] = p;
                        if (job.handedOver()) {
                            throw new HandedOver("handed over after " + p.files() + " files");
                        }
                        if (System.nanoTime() - lastEvent[0] > 1_000_000_000L) {
                            lastEvent[0] = System.nanoTime();
                            awaitAll(inFlight);
                            announce(event(plan, JobState.RUNNING, new VideoIngest.Progress(p.files(), p.faces(),
                                    p.faces(), p.batches()), p.files() + " of " + index.entries().size()
                                    + " files", workerId));
                        }
                    });
            awaitAll(inFlight);
            IngestCompleted manifest = new IngestCompleted(Contract.CURRENT_VERSION, plan.studyId(), plan.jobId(),
                    out.counts(), out.labelCounts(), IngestCompleted.STILLS, new IngestCompleted.Detector(
                    st.aligned() ? "none (aligned crops)" : detector.name(), detector.fallback(),
                    st.aligned() ? "every still taken as the face" : out.retried() + " still(s) needed a padded, "
                    + "upscaled retry"), plan.maxFps(), Instant.now(), out.excluded(), out.noFace(),
                    index.grouping());
            publisher.publish(Topic.INGEST_COMPLETED, plan.studyId(), manifest);
            long files = index.entries().size();
            double seconds = (System.nanoTime() - started) / 1e9;
            announce(event(plan, JobState.COMPLETED, new VideoIngest.Progress(files, out.found(), out.found(),
                    last[0].batches()), String.format("%d files in %.1f s: %d faces, no face in %d%s", files, seconds,
                    out.found(), out.noFace().size(), out.noFace().isEmpty() ? "" : " (" + String.join(", ",
                    out.noFace().subList(0, Math.min(5, out.noFace().size()))) + (out.noFace().size() > 5 ? ", ..."
                    : "") + ")"), workerId));
        } catch (HandedOver e) {
            LOG.warnf("job %s %s; the next owner ingests it again", plan.jobId(), e.getMessage());
            announce(event(plan, JobState.RUNNING, new VideoIngest.Progress(last[0].files(), last[0].faces(),
                    last[0].faces(), last[0].batches()), e.getMessage() + " by " + workerId, workerId));
        } catch (RuntimeException | Error e) {
            LOG.errorf("job %s failed: %s", plan.jobId(), e.getMessage());
            metrics.counter("emotion.ingest.jobs.failed").increment();
            announce(event(plan, JobState.FAILED, new VideoIngest.Progress(last[0].files(), last[0].faces(),
                    last[0].faces(), last[0].batches()), e.getMessage() == null ? e.toString()
                    : e.getMessage().replace(st.dir() + "/", "").replace(dataDir + "/", ""), workerId));
        }
    }

    private void awaitAll(List<Future<RecordMetadata>> inFlight) {
        for (Future<RecordMetadata> f : inFlight) {
            publisher.await(Topic.INGEST_FRAMES, f);
        }
        inFlight.clear();
    }

    private void announce(IngestProgress event) {
        board.apply(event); // read-your-writes on this replica; the topic feeds the others
        publisher.publish(Topic.INGEST_PROGRESS, event.jobId(), event);
    }

    private static IngestProgress event(JobPlan plan, JobState state, VideoIngest.Progress p, String message,
                                        String worker) {
        String participant = plan.participants().size() == 1 ? plan.participants().get(0).participantId() : null;
        return new IngestProgress(Contract.CURRENT_VERSION, plan.jobId(), plan.studyId(), participant, state,
                p.framesDecoded(), p.faces(), Math.min(p.labelled(), p.faces()), p.batches(), message, Instant.now(),
                worker);
    }

    @PreDestroy
    void stop() {
        if (requests != null) {
            requests.close(); // a running job is handed over: its request stays for the next owner
        }
        worker.shutdownNow();
    }
}
