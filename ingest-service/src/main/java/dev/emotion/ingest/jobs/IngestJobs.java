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
import dev.emotion.core.ingest.VideoIngest;
import dev.emotion.core.view.JobBoard;
import dev.emotion.kit.RecordPublisher;
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
 * Runs ingest jobs one at a time on a worker thread (decoding and detection already use both cores): publishes the
 * face batches, progress events at most once a second, and at the end either the manifest or a failure event, never
 * both. Job state lives in Kafka, so any replica answers status queries.
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

    public IngestJobs(RecordPublisher publisher, JobBoard board, MeterRegistry metrics,
                      @ConfigProperty(name = "emotion.data-dir") String dataDir,
                      @ConfigProperty(name = "emotion.faces.model") Optional<String> faceModel,
                      @ConfigProperty(name = "emotion.faces.score-threshold", defaultValue = "0.5") float scoreThreshold,
                      @ConfigProperty(name = "emotion.faces.min-size", defaultValue = "24") int minFaceSize) {
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

    public static String newJobId() {
        return "ingest-" + UUID.randomUUID();
    }

    /** Checks the request, announces the job (queued) and schedules it; returns the queued event. */
    public IngestProgress submit(IngestJobRequest request) {
        return enqueue(planner.plan(newJobId(), request));
    }

    public IngestProgress submitUploaded(String jobId, String studyId, String participantId, Path video, Path labels,
                                         String split, Double maxFps) {
        return enqueue(planner.uploaded(jobId, studyId, participantId, video, labels, split, maxFps));
    }

    private IngestProgress enqueue(JobPlan plan) {
        IngestProgress queued = event(plan, JobState.QUEUED, new VideoIngest.Progress(0, 0, 0, 0),
                plan.participants().size() + " participant(s) queued");
        announce(queued);
        worker.submit(() -> run(plan));
        return queued;
    }

    private void run(JobPlan plan) {
        long started = System.nanoTime();
        announce(event(plan, JobState.RUNNING, new VideoIngest.Progress(0, 0, 0, 0), "started"));
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
                            if (System.nanoTime() - lastEvent[0] > 1_000_000_000L) {
                                lastEvent[0] = System.nanoTime();
                                awaitAll(inFlight); // progress counts only what the broker has stored
                                announce(event(plan, JobState.RUNNING, new VideoIngest.Progress(base[0]
                                        + p.framesDecoded(), base[1] + p.faces(), base[2] + p.labelled(), base[3]
                                        + p.batches()), item.participantId() + ": " + item.video().getFileName()));
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
                    String.format("%d frames in %.1f s (%.0f frames/s)", done[0], seconds, done[0] / seconds)));
        } catch (RuntimeException | Error e) { // an Error (out of memory, a native library) fails the job too
            LOG.errorf("job %s failed: %s", plan.jobId(), e.getMessage());
            metrics.counter("emotion.ingest.jobs.failed").increment();
            try {
                announce(event(plan, JobState.FAILED, new VideoIngest.Progress(done[0], done[1], done[2], done[3]),
                        e.getMessage() == null ? e.toString() : e.getMessage().replace(dataDir + "/", "")));
            } catch (RuntimeException publishFailed) {
                LOG.errorf("job %s: could not publish its failure: %s", plan.jobId(), publishFailed.getMessage());
            }
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

    private static IngestProgress event(JobPlan plan, JobState state, VideoIngest.Progress p, String message) {
        String participant = plan.participants().size() == 1 ? plan.participants().get(0).participantId() : null;
        return new IngestProgress(Contract.CURRENT_VERSION, plan.jobId(), plan.studyId(), participant, state,
                p.framesDecoded(), p.faces(), Math.min(p.labelled(), p.faces()), p.batches(), message, Instant.now());
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }
}
