package dev.emotion.evaluation.jobs;

import dev.emotion.core.FileNames;
import dev.emotion.core.contract.Contract;
import dev.emotion.core.contract.EvaluationProgress;
import dev.emotion.core.contract.EvaluationReport;
import dev.emotion.core.contract.JobRequest;
import dev.emotion.core.contract.JobState;
import dev.emotion.core.contract.ModelTrained;
import dev.emotion.core.contract.Split;
import dev.emotion.core.contract.Topic;
import dev.emotion.core.contract.TrainingProgress;
import dev.emotion.core.evaluation.ModelEvaluator;
import dev.emotion.core.evaluation.LabelCeiling;
import dev.emotion.core.evaluation.StudyReport;
import dev.emotion.core.training.TrainedModel;
import dev.emotion.core.store.Sample;
import dev.emotion.core.training.Trainer;
import dev.emotion.core.view.EvaluationBoard;
import dev.emotion.core.view.ModelCatalog;
import dev.emotion.core.view.StudyCatalog;
import dev.emotion.core.view.TrainingCurves;
import dev.emotion.evaluation.store.HeldOutStore;
import dev.emotion.kit.ApiErrors;
import dev.emotion.kit.JobWorker;
import dev.emotion.kit.KafkaClients;
import dev.emotion.kit.RecordPublisher;
import dev.emotion.kit.WorkerSettings;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Evaluation jobs as records (docs/adr/0004-jobs-as-records.md): a checked request is announced queued on
 * {@link Topic#EVALUATION_PROGRESS} and published on {@link Topic#EVALUATION_REQUESTS}; every replica is a worker of
 * one consumer group on it and runs one job at a time: download each model's artifact from the registry, score it on
 * the held-out participants, rebuild the study's report with every model evaluated so far (a model evaluated by
 * another replica, or before a restart, is scored again here), publish it (with the recommendation) on
 * {@code emotion.evaluation.reports}. Status comes from the progress events, so any replica answers; a worker that
 * dies or stops mid-job leaves it to the next owner, which runs it again.
 */
@ApplicationScoped
public class EvaluationJobs {

    private static final Logger LOG = Logger.getLogger(EvaluationJobs.class);

    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "evaluation"));
    private final EvaluationBoard board;
    private final KafkaClients kafka;
    private final WorkerSettings settings;
    private final String workerId;
    private volatile JobWorker requests;
    /** Results kept per study and model: a new model re-renders the report without re-scoring the others. */
    private final Map<String, Map<String, ModelEvaluator.ModelResult>> results = new ConcurrentHashMap<>();
    /** The evaluation whose report a study's folder holds (a re-render keeps its id). */
    private final Map<String, String> lastEvaluation = new ConcurrentHashMap<>();
    private final HeldOutStore store;
    private final StudyCatalog studies;
    private final ModelCatalog models;
    private final TrainingCurves curves;
    private final dev.emotion.core.view.CrossValidationResults crossValidations;
    private final RecordPublisher publisher;
    private final Path dataDir;
    private final Path reportsDir;
    private final String publicUrl;
    private final ModelEvaluator.Options options;

    public EvaluationJobs(HeldOutStore store, StudyCatalog studies, ModelCatalog models, TrainingCurves curves,
                          dev.emotion.core.view.CrossValidationResults crossValidations, RecordPublisher publisher,
                          EvaluationBoard board, KafkaClients kafka, WorkerSettings settings,
                          @ConfigProperty(name = "emotion.data-dir") String dataDir,
                          @ConfigProperty(name = "emotion.experiments-dir") String experimentsDir,
                          @ConfigProperty(name = "emotion.public-url") String publicUrl,
                          @ConfigProperty(name = "emotion.evaluation.bootstrap", defaultValue = "1000") int bootstrap,
                          @ConfigProperty(name = "emotion.evaluation.latency-runs", defaultValue = "50")
                          int latencyRuns) {
        this.board = board;
        this.kafka = kafka;
        this.settings = settings;
        this.workerId = settings.workerId("evaluation");
        this.store = store;
        this.studies = studies;
        this.models = models;
        this.curves = curves;
        this.crossValidations = crossValidations;
        this.publisher = publisher;
        this.dataDir = Path.of(dataDir);
        this.reportsDir = Path.of(experimentsDir).resolve("model_comparison");
        this.publicUrl = publicUrl;
        this.options = new ModelEvaluator.Options(bootstrap, latencyRuns, 3, 3, 4, 42);
    }

    public Path reportsDir() {
        return reportsDir;
    }

    /** Joins the worker group once the topics exist (after {@code TopicSetup}). */
    void startWorker(@Observes @jakarta.annotation.Priority(10) io.quarkus.runtime.StartupEvent event) {
        requests = JobWorker.join(kafka, Topic.EVALUATION_REQUESTS.topicName(), settings, "evaluation", workerId,
                this::take, worker);
    }

    /**
     * Queues an evaluation of {@code modelIds} (all registered models of the study when empty). Fails fast, before
     * queueing, on an unknown study or model, a model of another study, or a study without held-out test faces.
     */
    public EvaluationProgress submit(String studyId, List<String> modelIds) {
        return submit("eval-" + UUID.randomUUID(), studyId, modelIds);
    }

    /**
     * The evaluation every replica asks for when a model is announced: one id per model, so the replicas' requests
     * are one job (the first ends it, the others find it ended).
     */
    public EvaluationProgress submitAnnounced(ModelTrained m) {
        return submit("eval-" + m.modelId(), m.studyId(), List.of(m.modelId()));
    }

    private EvaluationProgress submit(String evaluationId, String studyId, List<String> modelIds) {
        if (studyId == null || studyId.isBlank()) {
            throw new ApiErrors.Invalid("missing field", "studyId is required");
        }
        if (studies.study(studyId).isEmpty()) {
            throw new ApiErrors.Missing("unknown study", "no completed ingest for study '" + studyId
                    + "' on emotion.ingest.completed: ingest it first");
        }
        List<String> ids = modelIds == null || modelIds.isEmpty()
                ? models.models(studyId).stream().map(ModelTrained::modelId).toList() : modelIds;
        if (ids.isEmpty()) {
            throw new ApiErrors.Invalid("no models", "study '" + studyId + "' has no trained model yet: train one "
                    + "(POST /api/v1/trainings on training-service)");
        }
        for (String modelId : ids) {
            ModelTrained m = models.model(modelId).orElseThrow(() -> new ApiErrors.Missing("unknown model",
                    "model '" + modelId + "' was never announced on emotion.models.trained"));
            if (!m.studyId().equals(studyId)) {
                throw new ApiErrors.Invalid("wrong study", "model '" + modelId + "' was trained on study '"
                        + m.studyId() + "', not '" + studyId + "'");
            }
        }
        if (!store.store().has(studyId, Split.TEST)) {
            throw new ApiErrors.Invalid("empty test split", "study '" + studyId + "' has no test-split faces in this "
                    + "service's store yet (held-out participants: none received): wait for the ingest to arrive");
        }
        String id = evaluationId;
        java.util.Optional<EvaluationProgress> known = board.evaluation(id);
        if (known.isPresent()) {
            return known.get(); // an announced model's evaluation, asked for by another replica too
        }
        if (requests != null && !requests.awaitJoined(java.time.Duration.ofSeconds(30))) {
            LOG.warnf("evaluation worker %s has not joined its group yet; the request waits on the topic", workerId);
        }
        EvaluationProgress queued = new EvaluationProgress(Contract.CURRENT_VERSION, id, studyId, List.copyOf(ids),
                JobState.QUEUED, new java.util.TreeMap<>(), null, null, null, Instant.now(), null, null,
                Instant.now());
        announce(queued);
        publisher.publish(Topic.EVALUATION_REQUESTS, id, new JobRequest(Contract.CURRENT_VERSION, "evaluation", id,
                Map.of("studyId", studyId, "modelIds", List.copyOf(ids), "submittedAt",
                        queued.submittedAt().toString()), Instant.now()));
        return queued;
    }

    public EvaluationProgress status(String evaluationId) {
        return board.evaluation(evaluationId).orElseThrow(() -> new ApiErrors.Missing("unknown evaluation",
                "no evaluation '" + evaluationId + "'"));
    }

    public List<EvaluationProgress> all() {
        return board.all();
    }

    private void announce(EvaluationProgress p) {
        board.apply(p); // read-your-writes on this replica; the topic feeds the others
        publisher.publish(Topic.EVALUATION_PROGRESS, p.evaluationId(), p);
    }

    /** A worker took an evaluation request: run it unless its events say it already ended. */
    @SuppressWarnings("unchecked")
    private void take(org.apache.kafka.clients.consumer.ConsumerRecord<String, String> record, JobWorker.Job job) {
        JobRequest request;
        try {
            request = dev.emotion.core.contract.Contracts.parse(record.value(), JobRequest.class);
        } catch (RuntimeException e) {
            LOG.errorf("evaluation request at %s-%d@%d is unreadable, skipped: %s", record.topic(),
                    record.partition(), record.offset(), e.getMessage());
            return;
        }
        JobWorker.awaitView(kafka, workerId + "-offsets", Topic.EVALUATION_PROGRESS.topicName(), board.position(),
                java.time.Duration.ofMinutes(1));
        java.util.Optional<EvaluationProgress> latest = board.evaluation(request.jobId());
        if (latest.isPresent() && latest.get().state().isFinal()) {
            LOG.infof("evaluation %s already %s; not run again", request.jobId(), latest.get().state().label());
            return;
        }
        Map<String, Object> r = request.request();
        EvaluationProgress queued = latest.orElse(new EvaluationProgress(Contract.CURRENT_VERSION, request.jobId(),
                (String) r.get("studyId"), List.copyOf((List<String>) r.get("modelIds")), JobState.QUEUED,
                new java.util.TreeMap<>(), null, null, null, Instant.parse((String) r.get("submittedAt")), null, null,
                Instant.now()));
        run(queued, job);
    }

    /** The models of {@code studyId} that finished evaluations have evaluated (as the progress events say). */
    private Set<String> evaluatedBefore(String studyId) {
        Set<String> out = new java.util.TreeSet<>();
        for (EvaluationProgress p : board.all()) {
            if (p.studyId().equals(studyId) && p.state() == JobState.COMPLETED) {
                p.models().forEach((model, outcome) -> {
                    if (outcome.startsWith("evaluated")) {
                        out.add(model);
                    }
                });
            }
        }
        return out;
    }

    private Set<String> completedJobs(String studyId) {
        return new HashSet<>(studies.study(studyId).map(StudyCatalog.StudySummary::jobIds).orElse(List.of()));
    }

    private void run(EvaluationProgress submitted, JobWorker.Job job) {
        EvaluationProgress s = update(submitted, JobState.RUNNING, null, null, null);
        String studyId = s.studyId();
        try {
            List<Sample> test = store.store().samples(studyId, Split.TEST, completedJobs(studyId));
            List<Sample> val = store.store().samples(studyId, Split.VAL, completedJobs(studyId));
            Path studyDir = reportsDir.resolve(FileNames.safe(studyId));
            Map<String, ModelEvaluator.ModelResult> done = results.computeIfAbsent(studyId,
                    k -> new ConcurrentHashMap<>());
            // The report shows every model evaluated so far: those another replica (or this one before a restart)
            // evaluated are scored here too.
            List<String> toScore = new ArrayList<>(s.modelIds());
            evaluatedBefore(studyId).stream().filter(id -> !done.containsKey(id) && !toScore.contains(id)
                    && models.model(id).isPresent()).forEach(toScore::add);
            for (String modelId : toScore) {
                if (job.handedOver()) {
                    LOG.warnf("evaluation %s handed over; the next worker runs it again", s.evaluationId());
                    announce(update(s, JobState.RUNNING, null, null, null));
                    return;
                }
                boolean asked = s.modelIds().contains(modelId);
                ModelTrained m = models.model(modelId).orElseThrow();
                try {
                    Path dir = TrainedModel.download(m.modelId(), m.artifactUrl(), dataDir.resolve("models"));
                    try (TrainedModel model = TrainedModel.open(dir)) {
                        ModelEvaluator.ModelResult r = new ModelEvaluator(options).evaluate(model, test, val,
                                studyDir.resolve(FileNames.safe(modelId)),
                                step -> LOG.infof("evaluation %s: %s: %s", submitted.evaluationId(), modelId, step));
                        done.put(modelId, r);
                        if (asked) {
                            s = withModel(s, modelId, "evaluated: " + r.metrics());
                        }
                    }
                } catch (RuntimeException | Error | IOException e) {
                    LOG.errorf("evaluation %s: model %s failed: %s", s.evaluationId(), modelId, e.getMessage());
                    if (asked) {
                        s = withModel(s, modelId, "failed: " + e.getMessage());
                    }
                }
            }
            if (done.isEmpty()) {
                throw new IllegalStateException("no model of study " + studyId + " could be evaluated: "
                        + s.models());
            }
            StudyReport report = render(studyId, s.evaluationId());
            List<ModelEvaluator.ModelResult> all = report.models();
            String url = publicUrl + "/reports/" + FileNames.safe(studyId) + "/index.html";
            publisher.publish(Topic.EVALUATION_REPORTS, studyId, new EvaluationReport(Contract.CURRENT_VERSION,
                    studyId, s.evaluationId(), all.stream().map(EvaluationJobs::score).toList(), url,
                    report.recommendation().modelId(), report.recommendation().reason(), Instant.now()));
            LOG.infof("evaluation %s: study %s, %d model(s), recommended %s; report %s", s.evaluationId(), studyId,
                    all.size(), report.recommendation().modelId(), url);
            update(s, JobState.COMPLETED, url, report.recommendation().modelId(), null);
        } catch (RuntimeException | Error | IOException e) { // an Error fails the job too
            LOG.errorf(e, "evaluation %s failed", s.evaluationId());
            // When the failure cannot be published either (the broker away), this throws: the worker reads the
            // request again later.
            update(s, JobState.FAILED, null, null, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    /** The evaluation with one more model's outcome, announced. */
    private EvaluationProgress withModel(EvaluationProgress s, String modelId, String outcome) {
        Map<String, String> m = new java.util.TreeMap<>(s.models());
        m.put(modelId, outcome);
        EvaluationProgress next = new EvaluationProgress(Contract.CURRENT_VERSION, s.evaluationId(), s.studyId(),
                s.modelIds(), s.state(), m, s.reportUrl(), s.recommendedModelId(), s.error(), s.submittedAt(),
                s.finishedAt(), workerId, Instant.now());
        announce(next);
        return next;
    }

    /**
     * Writes the study's report from every result kept for it and the latest cross-validations (no scoring), under
     * {@code evaluationId}.
     */
    private StudyReport render(String studyId, String evaluationId) throws IOException {
        List<ModelEvaluator.ModelResult> all = new ArrayList<>(results.get(studyId).values());
        all.sort(java.util.Comparator.comparing(ModelEvaluator.ModelResult::modelId));
        var cvs = crossValidations.forStudy(studyId);
        Set<String> completed = completedJobs(studyId);
        LabelCeiling ceiling = LabelCeiling.of(store.store().samples(studyId, Split.TRAIN, completed),
                store.store().samples(studyId, Split.VAL, completed), store.store().samples(studyId, Split.TEST,
                        completed), cvs, options.seed());
        StudyReport report = StudyReport.of(studyId, evaluationId, all, cvs, ceiling);
        report.write(reportsDir.resolve(FileNames.safe(studyId)), trainingCurves(all));
        lastEvaluation.put(studyId, evaluationId);
        return report;
    }

    /**
     * Re-renders the study's report files with what is known now (a cross-validation finished after the last
     * evaluation), without re-scoring; nothing happens for a study not evaluated by this instance.
     */
    public void rerender(String studyId) {
        worker.submit(() -> {
            String evaluationId = lastEvaluation.get(studyId);
            if (evaluationId == null) {
                return;
            }
            try {
                render(studyId, evaluationId);
                LOG.infof("report of study %s re-rendered with %d cross-validation(s)", studyId,
                        crossValidations.forStudy(studyId).size());
            } catch (IOException | RuntimeException e) {
                LOG.errorf(e, "re-rendering the report of study %s failed", studyId);
            }
        });
    }

    private EvaluationProgress update(EvaluationProgress s, JobState state, String url, String recommended,
                                      String error) {
        EvaluationProgress next = new EvaluationProgress(Contract.CURRENT_VERSION, s.evaluationId(), s.studyId(),
                s.modelIds(), state, s.models(), url, recommended, error, s.submittedAt(), state.isFinal()
                ? Instant.now() : null, workerId, Instant.now());
        announce(next);
        return next;
    }

    private static EvaluationReport.ModelScore score(ModelEvaluator.ModelResult r) {
        Map<String, EvaluationReport.Interval> ci = new LinkedHashMap<>();
        r.confidenceIntervals().forEach((k, v) -> ci.put(k, new EvaluationReport.Interval(v.low(), v.high())));
        Map<String, Double> metrics = new LinkedHashMap<>(r.metrics());
        metrics.put("latency_p50_ms", r.efficiency().latencyP50Ms());
        metrics.put("throughput_img_s", r.efficiency().throughputImagesPerSecond());
        return new EvaluationReport.ModelScore(r.modelId(), r.architecture(), r.task(), metrics, ci);
    }

    /** Per model, the epochs its training run announced on emotion.training.progress. */
    private Map<String, List<Trainer.EpochReport>> trainingCurves(List<ModelEvaluator.ModelResult> all) {
        Map<String, List<Trainer.EpochReport>> out = new LinkedHashMap<>();
        for (ModelEvaluator.ModelResult r : all) {
            models.model(r.modelId()).ifPresent(m -> {
                List<Trainer.EpochReport> epochs = new ArrayList<>();
                for (TrainingProgress p : curves.curve(m.trainingId())) {
                    if (p.state() == JobState.RUNNING && p.trainLoss() != null && p.valLoss() != null
                            && p.valMetrics() != null && !p.valMetrics().isEmpty()) {
                        epochs.add(new Trainer.EpochReport(p.epoch(), p.epochs(), p.step() == null ? 0 : p.step(),
                                p.trainLoss(), p.valLoss(), p.valMetrics(), p.learningRate() == null ? 0
                                : p.learningRate(), p.imagesPerSecond() == null ? 0 : p.imagesPerSecond()));
                    }
                }
                out.put(r.modelId(), epochs);
            });
        }
        return out;
    }

    void stop(@Observes ShutdownEvent e) {
        if (requests != null) {
            requests.close(); // a running job is handed over: its request stays for the next owner
        }
        worker.shutdownNow();
    }
}
