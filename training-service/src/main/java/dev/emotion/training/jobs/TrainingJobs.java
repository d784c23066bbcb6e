package dev.emotion.training.jobs;

import dev.emotion.core.contract.Architecture;
import dev.emotion.core.contract.Contract;
import dev.emotion.core.contract.JobState;
import dev.emotion.core.contract.ModelTrained;
import dev.emotion.core.contract.Split;
import dev.emotion.core.contract.Task;
import dev.emotion.core.contract.Topic;
import dev.emotion.core.contract.TrainingProgress;
import dev.emotion.core.models.Backbone;
import dev.emotion.core.models.ModelSpec;
import dev.emotion.core.training.TrainedModel;
import dev.emotion.core.models.weights.PretrainedWeights;
import dev.emotion.core.training.CurvesChart;
import dev.emotion.core.store.Sample;
import dev.emotion.core.training.Trainer;
import dev.emotion.core.contract.IngestCompleted;
import dev.emotion.core.view.StudyCatalog;
import dev.emotion.core.view.TrainingCurves;
import dev.emotion.core.contract.JobRequest;
import dev.emotion.kit.ApiErrors;
import dev.emotion.kit.JobWorker;
import dev.emotion.kit.KafkaClients;
import dev.emotion.kit.WorkerSettings;
import dev.emotion.kit.RecordPublisher;
import dev.emotion.training.datasets.DatasetStore;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Trainings as records: {@code POST} checks a request, announces it queued and publishes it on
 * {@link Topic#TRAINING_REQUESTS}; every replica of the service is a worker of one consumer group on that topic and
 * runs one job at a time (one per device), publishing a progress event per epoch that names the worker, then the
 * model on the registry topic with its artifact URL, or a failure/cancellation event that says why. A request is
 * committed only when its job ended: a worker that dies or stops mid-run leaves it to the partition's next owner,
 * which resumes from the run's last checkpoint (checkpoints live under the experiments directory, a volume every
 * worker shares) or starts over when there is none. Job state comes from the progress events, so any replica
 * answers {@code GET}; a job whose events already end (cancelled, completed, failed) is never run again.
 */
@ApplicationScoped
public class TrainingJobs {

    private static final Logger LOG = Logger.getLogger(TrainingJobs.class);

    /** Bad request: names the field and the allowed values. */
    public static class Refused extends ApiErrors.Invalid {
        public Refused(String message) {
            super("invalid training request", message);
        }
    }

    private final RecordPublisher publisher;
    private final DatasetStore datasets;
    private final StudyCatalog studies;
    private final TrainingCurves runs;
    private final ModelArtifacts artifacts;
    private final Path experiments;
    private final String publicUrl;
    private final String gitCommit;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "training-worker"));
    private final KafkaClients kafka;
    private final String workerId;
    private final WorkerSettings settings;
    private volatile JobWorker requests;
    /** Looked up when a cross-validation request comes (it needs this bean: no construction cycle). */
    private final jakarta.enterprise.inject.Instance<CrossValidations> crossValidations;

    public TrainingJobs(RecordPublisher publisher, DatasetStore datasets, StudyCatalog studies, TrainingCurves runs,
                        KafkaClients kafka,
                        @ConfigProperty(name = "emotion.data-dir") String dataDir,
                        @ConfigProperty(name = "emotion.experiments-dir", defaultValue = "experiments") String exp,
                        @ConfigProperty(name = "emotion.artifacts-dir") java.util.Optional<String> artifactsDir,
                        @ConfigProperty(name = "emotion.public-url") String publicUrl,
                        @ConfigProperty(name = "emotion.git-commit", defaultValue = "unknown") String gitCommit,
                        WorkerSettings settings,
                        jakarta.enterprise.inject.Instance<CrossValidations> crossValidations) {
        this.crossValidations = crossValidations;
        this.kafka = kafka;
        this.workerId = settings.workerId("training");
        this.settings = settings;
        this.publisher = publisher;
        this.datasets = datasets;
        this.studies = studies;
        this.runs = runs;
        // Shared by the replicas (a volume), any of them serves any model; by default beside the store.
        this.artifacts = new ModelArtifacts(artifactsDir.filter(d -> !d.isBlank()).map(Path::of)
                .orElse(Path.of(dataDir).resolve("models")));
        this.experiments = Path.of(exp);
        this.publicUrl = publicUrl.replaceAll("/+$", "");
        this.gitCommit = gitCommit;
    }

    public ModelArtifacts artifacts() {
        return artifacts;
    }

    /** Joins the worker group once the topics exist (after {@code TopicSetup}). */
    void startWorker(@jakarta.enterprise.event.Observes @jakarta.annotation.Priority(10)
                     io.quarkus.runtime.StartupEvent event) {
        requests = JobWorker.join(kafka, Topic.TRAINING_REQUESTS.topicName(), settings, "training", workerId,
                this::take, worker);
    }

    public String workerId() {
        return workerId;
    }

    public TrainingProgress submit(TrainingRequest r) {
        Trainer.Config c = validated(r);
        Architecture a = c.architecture();
        String id = "train-" + a.id() + "-" + UUID.randomUUID().toString().substring(0, 8);
        Path resumeFrom = null;
        if (r.resume() != null) {
            resumeFrom = runDir(a, r.resume());
            if (!r.resume().matches("[A-Za-z0-9._-]+") || !java.nio.file.Files.isRegularFile(
                    resumeFrom.resolve("last.json"))) {
                throw new Refused("resume: no checkpoint of training '" + r.resume() + "' for " + a.id() + " under "
                        + experiments.resolve(a.id()).resolve("checkpoints"));
            }
        }
        awaitWorker();
        TrainingProgress queued = progress(id, r.studyId(), c, JobState.QUEUED, 0, 0, null, null, Map.of(), 0, 0,
                "queued");
        announce(queued);
        @SuppressWarnings("unchecked")
        Map<String, Object> asMap = dev.emotion.core.contract.Contracts.mapper().convertValue(r, Map.class);
        publisher.publish(Topic.TRAINING_REQUESTS, id, new JobRequest(Contract.CURRENT_VERSION, "training", id,
                asMap, Instant.now()));
        return queued;
    }

    /** Before a request is published: this replica's worker has joined its group (or the log says it has not). */
    void awaitWorker() {
        if (requests != null && !requests.awaitJoined(java.time.Duration.ofSeconds(30))) {
            LOG.warnf("training worker %s has not joined group %s yet; the request waits on the topic", workerId,
                    settings.groupId("training"));
        }
    }

    /**
     * A worker took a request: a cross-validation goes to {@link CrossValidations}; a training runs unless its
     * events say it already ended.
     */
    private void take(org.apache.kafka.clients.consumer.ConsumerRecord<String, String> record, JobWorker.Job job) {
        JobRequest request;
        TrainingRequest r;
        try {
            request = dev.emotion.core.contract.Contracts.parse(record.value(), JobRequest.class);
            if (CrossValidations.KIND.equals(request.kind())) {
                crossValidations.get().take(record, request, job);
                return;
            }
            r = dev.emotion.core.contract.Contracts.mapper().convertValue(request.request(), TrainingRequest.class);
        } catch (RuntimeException e) {
            LOG.errorf("training request at %s-%d@%d is unreadable, skipped: %s", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return;
        }
        String id = request.jobId();
        awaitCaughtUp();
        java.util.Optional<TrainingProgress> latest = runs.latest(id);
        if (latest.isPresent() && latest.get().state().isFinal()) {
            LOG.infof("training %s already %s; not run again", id, latest.get().state().label());
            return;
        }
        Trainer.Config c;
        try {
            c = validated(r);
        } catch (RuntimeException e) {
            announce(new TrainingProgress(Contract.CURRENT_VERSION, id, r.studyId() == null ? "unknown"
                    : r.studyId(), latest.map(TrainingProgress::model).orElse(Architecture.CNN_SIMPLE),
                    latest.map(TrainingProgress::task).orElse(Task.EMOTION_CLASS), JobState.FAILED, 0, 1, 0L, null,
                    null, Map.of(), null, null, "the request no longer holds: " + e.getMessage(), Instant.now(),
                    workerId));
            return;
        }
        Path resumeFrom = r.resume() == null ? null : runDir(c.architecture(), r.resume());
        run(id, r.studyId(), c, resumeFrom, job);
    }

    /** Waits (up to a minute) until this replica's view holds every progress event published so far. */
    private void awaitCaughtUp() {
        JobWorker.awaitView(kafka, workerId + "-offsets", Topic.TRAINING_PROGRESS.topicName(), runs.position(),
                java.time.Duration.ofMinutes(1));
    }

    Path experiments() {
        return experiments;
    }

    /**
     * The request checked and turned into a config: known model/task/backbone, an ingested study, weights present
     * for a pretrained backbone (unless random initialisation is asked for), sane hyper-parameters.
     */
    Trainer.Config validated(TrainingRequest r) {
        if (r == null) {
            throw new Refused("send a JSON body: {studyId, model, task, epochs?, batchSize?, learningRate?, ...}");
        }
        Architecture a = parse(Architecture.class, "model", r.model());
        Task t = parse(Task.class, "task", r.task());
        if (r.studyId() == null || studies.study(r.studyId()).isEmpty()) {
            throw new Refused("no ingested study '" + r.studyId() + "': ingest it first (GET /api/v1/datasets lists "
                    + "the studies this service knows)");
        }
        // Stills have no per-person video to take a baseline from (most people have one photo, and a photo is
        // served on its own): a study of stills trains without participant baselines unless asked to.
        boolean stills = studies.study(r.studyId()).map(s -> s.labelSources().equals(List.of(IngestCompleted.STILLS)))
                .orElse(false);
        Trainer.Config c = config(a, t, r, stills);
        ModelSpec spec = c.spec();
        if (spec.pretrainedBackbone() && !Boolean.TRUE.equals(r.allowRandomInit())) {
            boolean given = r.weights() != null && !r.weights().isBlank();
            boolean local = given && !r.weights().startsWith("http://") && !r.weights().startsWith("https://");
            if ((!given && PretrainedWeights.available(spec.backbone()).isEmpty())
                    || (local && !java.nio.file.Files.exists(Path.of(r.weights())))) {
                throw new Refused("no pretrained weights for " + a.id() + " backbone " + spec.backbone().id()
                        + (local ? " at " + r.weights() : "") + ": " + PretrainedWeights.howToProvide(spec.backbone())
                        + (a == Architecture.RESNET_PRETRAINED ? "; offline, choose backbone face-expression (or resnet34-faces)" : "")
                        + ". allowRandomInit=true trains on random features knowingly.");
            }
        }
        if (!a.trained() && t != Task.EMOTION_CLASS) {
            throw new Refused(a.id() + " only predicts emotion_class (face-api's 7 expressions), not " + t.id());
        }
        return c;
    }

    /** How long an eval-only request waits for the training worker before it is answered 503. */
    static final java.time.Duration EVAL_ONLY_WAIT = java.time.Duration.ofMinutes(2);

    /**
     * Eval-only: the registered model's metrics on a split of its study, from the store. It runs on the training
     * worker's thread, between jobs (one model on the device at a time); when a job keeps the worker busy for longer
     * than {@link #EVAL_ONLY_WAIT}, the request is withdrawn and answered 503 with what the worker is doing.
     */
    public Map<String, Object> evaluate(String modelId, String splitName) {
        java.util.concurrent.Future<Map<String, Object>> f = worker.submit(() -> evaluateNow(modelId, splitName));
        try {
            return f.get(EVAL_ONLY_WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            if (f.cancel(false)) {
                String running = requests == null ? null : requests.runningJob();
                throw new ApiErrors.Busy("the training worker " + workerId + " is busy" + (running == null ? ""
                        : " with " + running) + " and did not get to evaluating " + modelId + " within "
                        + EVAL_ONLY_WAIT.toSeconds() + " s; retry when it is free", 60);
            }
            return join(f); // it started meanwhile: let it finish
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while evaluating " + modelId, e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw unwrapped(e);
        }
    }

    private static <T> T join(java.util.concurrent.Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw unwrapped(e);
        }
    }

    private static RuntimeException unwrapped(java.util.concurrent.ExecutionException e) {
        if (e.getCause() instanceof RuntimeException r) {
            return r;
        }
        if (e.getCause() instanceof Error err) {
            throw err;
        }
        return new IllegalStateException(e.getCause());
    }

    private Map<String, Object> evaluateNow(String modelId, String splitName) {
        if (!artifacts.exists(modelId)) {
            throw new ApiErrors.Missing("no artifact for model " + modelId, "list models with GET /api/v1/models");
        }
        Split split = parse(Split.class, "split", splitName);
        Map<?, ?> description;
        try {
            description = dev.emotion.core.contract.Contracts.mapper().readValue(
                    artifacts.dir(modelId).resolve("model.json").toFile(), Map.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read model.json of " + modelId, e);
        }
        Architecture a = parse(Architecture.class, "architecture", (String) description.get("architecture"));
        Task t = parse(Task.class, "task", (String) description.get("task"));
        String studyId = (String) ((Map<?, ?>) description.get("config")).get("studyId");
        Set<String> completed = new HashSet<>(studies.study(studyId).map(s -> s.jobIds()).orElse(List.of()));
        List<Sample> samples = datasets.store().samples(studyId, split, completed);
        if (samples.isEmpty()) {
            throw new Refused("study " + studyId + " has no stored " + split.label() + " samples to evaluate on");
        }
        Object backboneId = description.get("backbone");
        ModelSpec spec = backboneId == null || !a.trained() ? ModelSpec.of(a)
                : ModelSpec.of(a, Backbone.parse(backboneId.toString(), a));
        boolean baseline = Boolean.TRUE.equals(((Map<?, ?>) description.get("config")).get("participantBaseline"));
        Trainer.Evaluation e = new Trainer().evaluateCheckpoint(spec, t, artifacts.dir(modelId).resolve("model.params"),
                samples, spec.cpuBatch(), baseline);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("modelId", modelId);
        out.put("studyId", studyId);
        out.put("split", split.label());
        out.put("samples", Trainer.usable(samples, t).size());
        out.put("loss", e.loss());
        out.put("metrics", withoutScore(e.metrics()));
        return out;
    }

    /**
     * Announces the run cancelled: whichever worker runs it stops at its next batch (it sees the event in its view),
     * and a queued request is skipped when a worker takes it. A cancelled run stays cancelled.
     */
    public void cancel(String trainingId) {
        TrainingProgress latest = runs.latest(trainingId).orElseThrow(() -> new ApiErrors.Missing(
                "no training " + trainingId, "list trainings with GET /api/v1/trainings"));
        if (latest.state().isFinal()) {
            throw new Refused("training " + trainingId + " already ended (" + latest.state().label() + ")");
        }
        announce(new TrainingProgress(Contract.CURRENT_VERSION, trainingId, latest.studyId(), latest.model(),
                latest.task(), JobState.CANCELLED, latest.epoch(), latest.epochs(), latest.step(), null, null,
                Map.of(), null, null, "cancelled by request", Instant.now(), null));
    }

    /** Whether the run's events say it ended (a cancellation from any replica). */
    private boolean ended(String trainingId) {
        return runs.latest(trainingId).map(p -> p.state().isFinal()).orElse(false);
    }

    /** The job's partition went to another worker (or this one is stopping): stop without a terminal event. */
    static final class HandedOver extends RuntimeException {
        HandedOver(String message) {
            super(message);
        }
    }

    private static Trainer.Config config(Architecture a, Task t, TrainingRequest r, boolean stills) {
        Trainer.Config d = Trainer.Config.defaults(a, t);
        Trainer.Config c = new Trainer.Config(a, t, or(r.epochs(), d.epochs()), or(r.batchSize(), d.batchSize()),
                or(r.gradAccum(), d.gradAccum()), or(r.learningRate(), d.learningRate()),
                or(r.weightDecay(), d.weightDecay()), d.warmupEpochs(), d.restartEpochs(), d.clipNorm(),
                or(r.patience(), d.patience()), or(r.seed(), d.seed()), or(r.augment(), d.augment()),
                d.classWeights(), or(r.allowRandomInit(), false), d.backbone(), r.weights(), r.weightsSha256(),
                or(r.unfreezeLastBlock(), false), a.trained() && or(r.participantBaseline(), d.participantBaseline() && !stills));
        if (c.unfreezeLastBlock() && a != Architecture.VIT_PRETRAINED && a != Architecture.RESNET_PRETRAINED) {
            throw new Refused("unfreezeLastBlock applies to resnet_pretrained and vit_pretrained only, not " + a.id());
        }
        if (!a.trained()) {
            c = c.withEpochs(1); // nothing is trained: one validation pass
        }
        if (r.backbone() != null && !r.backbone().isBlank()) {
            try {
                c = c.withBackbone(Backbone.parse(r.backbone(), a), r.weights(), r.weightsSha256());
            } catch (IllegalArgumentException e) {
                throw new Refused(e.getMessage());
            }
        }
        boolean asked = (r.backbone() != null && !r.backbone().isBlank()) || (r.weights() != null
                && !r.weights().isBlank());
        if (a == Architecture.RESNET_PRETRAINED && !asked && PretrainedWeights.available(Backbone.RESNET50).isEmpty()
                && !PretrainedWeights.available(Backbone.FACE_EXPRESSION).isEmpty()) {
            // Offline (no ImageNet ResNet-50 file): face-api's expression network, pretrained on what we predict.
            c = c.withBackbone(Backbone.FACE_EXPRESSION, null, null);
        }
        if (c.epochs() < 1 || c.epochs() > 1000 || c.batchSize() < 1 || c.batchSize() > 4096 || c.gradAccum() < 1
                || !(c.learningRate() > 0 && c.learningRate() < 1) || c.patience() < 1) {
            throw new Refused("epochs 1..1000, batchSize 1..4096, gradAccum >= 1, learningRate in (0, 1) and "
                    + "patience >= 1 are required; got " + r);
        }
        return c;
    }

    private Path runDir(Architecture a, String trainingId) {
        return experiments.resolve(a.id()).resolve("checkpoints").resolve(trainingId);
    }

    private void run(String id, String studyId, Trainer.Config c, Path resumeFrom, JobWorker.Job job) {
        try {
            Set<String> completedJobs = new HashSet<>(studies.study(studyId).orElseThrow().jobIds());
            List<Sample> train = datasets.store().samples(studyId, Split.TRAIN, completedJobs);
            List<Sample> val = datasets.store().samples(studyId, Split.VAL, completedJobs);
            Path runDir = runDir(c.architecture(), id);
            // Taken over from a worker that stopped: its last checkpoint is on the shared experiments volume.
            boolean takeOver = java.nio.file.Files.isRegularFile(runDir.resolve("last.json"));
            if (!takeOver && resumeFrom != null) {
                copyCheckpoint(resumeFrom, runDir);
            }
            announce(progress(id, studyId, c, JobState.RUNNING, 0, 0, null, null, Map.of(), 0, 0,
                    train.size() + " training and " + val.size() + " validation samples" + (takeOver
                            ? "; resuming the run's last checkpoint (" + runDir + ") after its worker stopped" : "")));
            Trainer.Result result = new Trainer().train(c, train, val, runDir, takeOver || resumeFrom != null,
                    new Trainer.Listener() {
                @Override
                public void epoch(Trainer.EpochReport e) {
                    log(c.architecture(), id, e);
                    announce(progress(id, studyId, c, JobState.RUNNING, e.epoch(), e.step(), e.trainLoss(),
                            e.valLoss(), e.valMetrics(), e.learningRate(), e.imagesPerSecond(), null));
                }

                @Override
                public void message(String line) {
                    LOG.infof("training %s: %s", id, line);
                    announce(progress(id, studyId, c, JobState.RUNNING, 0, 0, null, null, Map.of(), 0, 0, line));
                }

                @Override
                public void batch(int epoch, int batch, int batches) {
                    if (job.handedOver()) {
                        throw new HandedOver("handed over in epoch " + epoch);
                    }
                    if (ended(id)) {
                        throw new java.util.concurrent.CancellationException("cancelled in epoch " + epoch);
                    }
                }
            });
            String modelId = "model-" + c.architecture().id() + "-" + UUID.randomUUID().toString().substring(0, 8);
            try {
                CurvesChart.write(experiments.resolve(c.architecture().id()).resolve("visualizations"), id,
                        c.architecture().id() + " / " + c.task().id(), result.history());
            } catch (java.io.IOException | RuntimeException e) {
                LOG.warnf("training %s: could not draw its curves: %s", id, e.getMessage());
            }
            Map<String, Object> config = configMap(c, studyId, result.pretrainedWeights());
            config.put("trainSamples", train.size());
            config.put("valSamples", val.size());
            config.put("dataSnapshot", snapshot(train, val));
            config.put("gitCommit", gitCommit);
            Map<String, Object> description = TrainedModel.description(modelId, c.spec(), c.task());
            description.put("config", config);
            description.put("valMetrics", result.bestMetrics());
            description.put("bestEpoch", result.bestEpoch());
            artifacts.store(modelId, result.bestCheckpoint(), description);
            publisher.publish(Topic.MODELS_TRAINED, modelId, new ModelTrained(Contract.CURRENT_VERSION, modelId, id,
                    studyId, c.architecture(), c.task(), config, publicUrl + "/api/v1/models/" + modelId + "/artifact",
                    withoutScore(result.bestMetrics()), result.totalParameters(), result.trainableParameters(),
                    Instant.now()));
            Trainer.EpochReport last = result.history().get(result.history().size() - 1);
            announce(progress(id, studyId, c, JobState.COMPLETED, last.epoch(), last.step(), last.trainLoss(),
                    last.valLoss(), last.valMetrics(), last.learningRate(), last.imagesPerSecond(), "model " + modelId
                    + " (best epoch " + result.bestEpoch() + (result.stoppedEarly() ? ", stopped early" : "") + ")"));
        } catch (java.util.concurrent.CancellationException e) {
            LOG.infof("training %s stopped: %s", id, e.getMessage()); // its cancellation event is published
        } catch (HandedOver e) {
            LOG.warnf("training %s: %s; the next owner resumes it from the last checkpoint", id, e.getMessage());
            announce(progress(id, studyId, c, JobState.RUNNING, 0, 0, null, null, Map.of(), 0, 0, e.getMessage()
                    + " by " + workerId + "; the next worker resumes from the last checkpoint"));
        } catch (RuntimeException | Error e) { // an Error (out of memory, a native library) fails the job too
            LOG.errorf(e, "training %s failed", id);
            announce(progress(id, studyId, c, JobState.FAILED, 0, 0, null, null, Map.of(), 0, 0,
                    e.getMessage() == null ? e.toString() : e.getMessage()));
        }
    }

    /** One JSON line per epoch in experiments/<model>/logs/<trainingId>.jsonl (seed layout). */
    private void log(Architecture a, String id, Trainer.EpochReport e) {
        Path file = experiments.resolve(a.id()).resolve("logs").resolve(id + ".jsonl");
        try {
            java.nio.file.Files.createDirectories(file.getParent());
            java.nio.file.Files.writeString(file, dev.emotion.core.contract.Contracts.mapper().writeValueAsString(e)
                    + "\n", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException ex) {
            LOG.warnf("training %s: could not write its log %s: %s", id, file, ex.getMessage());
        }
    }

    private static void copyCheckpoint(Path from, Path to) {
        try {
            java.nio.file.Files.createDirectories(to);
            try (var files = java.nio.file.Files.list(from)) {
                for (Path f : files.toList()) {
                    java.nio.file.Files.copy(f, to.resolve(f.getFileName()),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot copy checkpoint " + from + ": " + e.getMessage(), e);
        }
    }

    /** A fingerprint of exactly which samples trained and validated the model. */
    static String snapshot(List<Sample> train, List<Sample> val) {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            for (List<Sample> part : List.of(train, val)) {
                part.stream().map(Sample::id).sorted().forEach(id -> sha.update((id + "\n").getBytes(
                        java.nio.charset.StandardCharsets.UTF_8)));
                sha.update((byte) 0);
            }
            return "sha256:" + java.util.HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The hyper-parameters of a run for its lineage; {@code pretrainedWeights} is what the trainer reports having
     * loaded into the backbone (null without one), from which {@code randomInitBackbone} follows.
     */
    static Map<String, Object> configMap(Trainer.Config c, String studyId, String pretrainedWeights) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("studyId", studyId);
        m.put("epochs", c.epochs());
        m.put("batchSize", c.batchSize());
        m.put("gradAccum", c.gradAccum());
        m.put("learningRate", c.learningRate());
        m.put("weightDecay", c.weightDecay());
        m.put("warmupEpochs", c.warmupEpochs());
        m.put("restartEpochs", c.restartEpochs());
        m.put("clipNorm", c.clipNorm());
        m.put("patience", c.patience());
        m.put("seed", c.seed());
        m.put("augment", c.augment());
        m.put("classWeights", c.classWeights());
        m.put("participantBaseline", c.participantBaseline());
        ModelSpec spec = c.spec();
        if (spec.backbone() != null) {
            m.put("backbone", spec.backbone().id());
            m.put("backboneDescription", spec.backbone().description());
        }
        if (c.unfreezeLastBlock()) {
            m.put("unfreezeLastBlock", true);
        }
        if (pretrainedWeights != null) {
            m.put("pretrainedWeights", pretrainedWeights);
        }
        m.put("randomInitBackbone", pretrainedWeights != null && pretrainedWeights.startsWith(
                Trainer.RANDOM_BACKBONE));
        m.put("precision", "fp32");
        return m;
    }


    private static Map<String, Double> withoutScore(Map<String, Double> m) {
        Map<String, Double> out = new LinkedHashMap<>(m);
        out.remove("score");
        return out;
    }

    TrainingProgress progress(String id, String studyId, Trainer.Config c, JobState state, int epoch,
                                      long step, Double trainLoss, Double valLoss, Map<String, Double> metrics,
                                      double lr, double ips, String message) {
        return new TrainingProgress(Contract.CURRENT_VERSION, id, studyId, c.architecture(), c.task(), state, epoch,
                c.epochs(), step, trainLoss, valLoss, metrics, lr == 0 ? null : lr, ips == 0 ? null : ips, message,
                Instant.now(), state == JobState.QUEUED ? null : workerId);
    }

    void announce(TrainingProgress p) {
        runs.apply(p);
        publisher.publish(Topic.TRAINING_PROGRESS, p.trainingId(), p);
    }

    /** A request's lower-case enum value (model, task), refused naming the field and the allowed values. */
    static <E extends Enum<E>> E parse(Class<E> type, String field, String value) {
        for (E e : type.getEnumConstants()) {
            if (e.name().toLowerCase(Locale.ROOT).equals(value)) {
                return e;
            }
        }
        throw new Refused(field + " '" + value + "' is not one of " + Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT)).toList());
    }

    private static <T> T or(T value, T fallback) {
        return value == null ? fallback : value;
    }

    @PreDestroy
    void stop() {
        if (requests != null) {
            requests.close(); // a running job is handed over: its request stays for the next owner
        }
        worker.shutdownNow();
    }
}
