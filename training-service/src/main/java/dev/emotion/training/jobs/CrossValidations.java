package dev.emotion.training.jobs;

import dev.emotion.core.FileNames;
import dev.emotion.core.contract.Contract;
import dev.emotion.core.contract.Contracts;
import dev.emotion.core.contract.CrossValidation;
import dev.emotion.core.contract.JobState;
import dev.emotion.core.contract.Split;
import dev.emotion.core.contract.Topic;
import dev.emotion.core.evaluation.IdentityProbe;
import dev.emotion.core.evaluation.ReportCharts;
import dev.emotion.core.ingest.ParticipantSplits;
import dev.emotion.core.training.MeanCrop;
import dev.emotion.core.training.Sample;
import dev.emotion.core.training.Trainer;
import dev.emotion.core.view.StudyCatalog;
import dev.emotion.kit.ApiErrors;
import dev.emotion.kit.RecordPublisher;
import dev.emotion.training.datasets.DatasetStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Leave-one-participant-out cross-validation: for every labelled participant of a study, a model of the requested
 * architecture is trained on everyone else (the next participant in order is held out for early stopping) and
 * tested on that participant; the per-fold metrics, their mean and standard deviation go to
 * {@code emotion.training.crossval} (evaluation-service puts them in the study's report), to
 * {@code experiments/<model>/cross_validation/<id>/} (JSON + bar chart) and to {@code GET /api/v1/cross-validations}.
 * Fold models are not registered. Runs on the training worker, after what is queued.
 */
@ApplicationScoped
public class CrossValidations {

    private static final Logger LOG = Logger.getLogger(CrossValidations.class);
    public static final String SCHEME = "leave-one-participant-out";
    /** Frames per participant the identity probe reads (evenly spaced in time): enough for a linear probe, cheap. */
    static final int PROBE_FRAMES_PER_PERSON = 24;

    /** A cross-validation's state; {@code folds} fills in as folds finish. */
    public record Status(String crossValidationId, String studyId, String model, String task, JobState state,
                         int foldsTotal, List<CrossValidation.Fold> folds, Map<String, Double> mean,
                         Map<String, Double> std, String message) {
    }

    private final TrainingJobs jobs;
    private final DatasetStore datasets;
    private final StudyCatalog studies;
    private final RecordPublisher publisher;
    private final Map<String, Status> status = new ConcurrentHashMap<>();

    public CrossValidations(TrainingJobs jobs, DatasetStore datasets, StudyCatalog studies,
                            RecordPublisher publisher) {
        this.jobs = jobs;
        this.datasets = datasets;
        this.studies = studies;
        this.publisher = publisher;
    }

    public Status submit(TrainingRequest r) {
        Trainer.Config c = jobs.validated(r);
        if (r.resume() != null) {
            throw new TrainingJobs.Refused("resume does not apply to a cross-validation");
        }
        Map<String, List<Sample>> byParticipant = samplesByParticipant(r.studyId(), c);
        if (byParticipant.size() < 3) {
            throw new TrainingJobs.Refused("cross-validation needs at least 3 labelled participants (train,"
                    + " early-stopping and test per fold); study " + r.studyId() + " has " + byParticipant.size()
                    + " stored: " + byParticipant.keySet());
        }
        if (r.folds() != null && (r.folds() < 3 || r.folds() > byParticipant.size())) {
            throw new TrainingJobs.Refused("folds must be 3.." + byParticipant.size() + " (the study's labelled "
                    + "participants: one group tests, the next stops early, the rest train); got " + r.folds());
        }
        List<List<String>> groups = groups(new ArrayList<>(byParticipant.keySet()), r.folds(), c.seed());
        String id = "cv-" + c.architecture().id() + "-" + UUID.randomUUID().toString().substring(0, 8);
        Status queued = new Status(id, r.studyId(), c.architecture().id(), c.task().id(), JobState.QUEUED,
                groups.size(), List.of(), Map.of(), Map.of(), "queued");
        status.put(id, queued);
        jobs.enqueue(() -> run(id, r.studyId(), c, groups));
        return queued;
    }

    public Status get(String id) {
        Status s = status.get(id);
        if (s == null) {
            throw new ApiErrors.Missing("no cross-validation " + id, "list them with GET /api/v1/cross-validations");
        }
        return s;
    }

    public List<Status> list(String studyId) {
        return status.values().stream().filter(s -> studyId == null || s.studyId().equals(studyId)).toList();
    }

    /** Every usable sample of the study (all splits), by participant, in participant order. */
    private Map<String, List<Sample>> samplesByParticipant(String studyId, Trainer.Config c) {
        Set<String> completed = new HashSet<>(studies.study(studyId).map(StudyCatalog.StudySummary::jobIds)
                .orElse(List.of()));
        Map<String, List<Sample>> out = new TreeMap<>();
        for (Split split : Split.values()) {
            for (Sample s : Trainer.usable(datasets.store().samples(studyId, split, completed), c.task())) {
                out.computeIfAbsent(s.participantId(), k -> new ArrayList<>()).add(s);
            }
        }
        return out;
    }

    /**
     * The folds: one participant each (leave-one-participant-out) when {@code k} is null, otherwise the
     * participants shuffled with the seed and dealt round-robin into {@code k} groups.
     */
    static List<List<String>> groups(List<String> people, Integer k, long seed) {
        List<List<String>> out = new ArrayList<>();
        if (k == null) {
            people.forEach(p -> out.add(List.of(p)));
            return out;
        }
        return ParticipantSplits.groupedFolds(people, k, seed);
    }

    private void run(String id, String studyId, Trainer.Config c, List<List<String>> groups) {
        List<CrossValidation.Fold> folds = new ArrayList<>();
        String pretrained = null;
        try {
            Map<String, List<Sample>> byParticipant = samplesByParticipant(studyId, c);
            List<Sample> everyone = byParticipant.values().stream().flatMap(List::stream).toList();
            // Each video's mean crop (for the identity probe) depends on no fold: read the crops once.
            Map<String, MeanCrop> baselines = c.participantBaseline() ? MeanCrop.perVideo(everyone) : null;
            IdentityProbe.Result probe = null;
            Path dir = jobs.experiments().resolve(c.architecture().id()).resolve("cross_validation").resolve(id);
            for (int i = 0; i < groups.size(); i++) {
                List<String> testGroup = groups.get(i);
                List<String> valGroup = groups.get((i + 1) % groups.size());
                String test = String.join("+", testGroup);
                String val = String.join("+", valGroup);
                List<Sample> train = new ArrayList<>();
                List<Sample> valSamples = new ArrayList<>();
                List<Sample> testSamples = new ArrayList<>();
                byParticipant.forEach((p, samples) -> (testGroup.contains(p) ? testSamples
                        : valGroup.contains(p) ? valSamples : train).addAll(samples));
                String foldId = id + "-" + FileNames.safe(test);
                update(id, JobState.RUNNING, folds, "fold " + (i + 1) + "/" + groups.size() + ": testing on " + test
                        + ", early stopping on " + val + ", training on " + train.size() + " samples");
                Trainer.Result result = new Trainer().train(c, train, valSamples, dir.resolve(FileNames.safe(test)),
                        false, e -> jobs.announce(jobs.progress(foldId, studyId, c, JobState.RUNNING, e.epoch(),
                                e.step(), e.trainLoss(), e.valLoss(), e.valMetrics(), e.learningRate(),
                                e.imagesPerSecond(), "cross-validation " + id + ", held-out " + test)));
                pretrained = result.pretrainedWeights();
                Trainer.Evaluation ev = new Trainer().evaluateCheckpoint(c.spec(), c.task(), result.bestCheckpoint(),
                        testSamples, c.batchSize(), c.participantBaseline());
                Map<String, Double> metrics = new LinkedHashMap<>(ev.metrics());
                metrics.remove("score");
                // How the fold trained (an untrained architecture such as the baseline reports 0 epochs).
                metrics.put("epochs_trained", (double) (c.architecture().trained() ? result.history().size() : 0));
                metrics.put("best_epoch", (double) result.bestEpoch());
                metrics.put("train_images_per_second", result.history().stream()
                        .mapToDouble(Trainer.EpochReport::imagesPerSecond).filter(x -> x > 0).average().orElse(0));
                // How much identity this fold's features still carry (all of the study's people; see IdentityProbe).
                // A backbone that training leaves alone gives the same features, hence the same probe, every fold.
                if (probe == null || c.trainsBackbone()) {
                    probe = new Trainer().identityProbe(c.spec(), c.task(), result.bestCheckpoint(), everyone,
                            PROBE_FRAMES_PER_PERSON, c.batchSize(), baselines);
                }
                metrics.put("identity_probe_accuracy", probe.accuracy());
                metrics.put("identity_probe_chance", probe.chance());
                folds.add(new CrossValidation.Fold(test, val, train.size(), testSamples.size(), metrics));
                LOG.infof("cross-validation %s: fold %s %s", id, test, metrics);
            }
            Map<String, Double> mean = new LinkedHashMap<>();
            Map<String, Double> std = new LinkedHashMap<>();
            for (String metric : folds.get(0).metrics().keySet()) {
                double[] v = folds.stream().mapToDouble(f -> f.metrics().getOrDefault(metric, Double.NaN)).toArray();
                double m = java.util.Arrays.stream(v).average().orElse(Double.NaN);
                double ss = java.util.Arrays.stream(v).map(x -> (x - m) * (x - m)).sum();
                if (Double.isFinite(m)) {
                    mean.put(metric, m);
                    std.put(metric, v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0.0);
                }
            }
            Map<String, Object> config = TrainingJobs.configMap(c, studyId, pretrained);
            String scheme = groups.stream().allMatch(g -> g.size() == 1) ? SCHEME
                    : "participant-grouped-" + groups.size() + "-fold";
            CrossValidation record = new CrossValidation(Contract.CURRENT_VERSION, id, studyId, c.architecture(),
                    c.task(), scheme, List.copyOf(folds), mean, std, config, Instant.now());
            Files.createDirectories(dir);
            Files.write(dir.resolve("cross_validation.json"), Contracts.mapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(record));
            Map<String, List<Double>> chart = new LinkedHashMap<>();
            for (String metric : List.of("accuracy", "macro_f1", "balanced_accuracy", "micro_f1", "mae")) {
                if (mean.containsKey(metric)) {
                    chart.put(metric, folds.stream().map(f -> f.metrics().get(metric)).toList());
                }
            }
            ReportCharts.bars(dir.resolve("folds.png"), c.architecture().id() + " " + scheme,
                    "held-out participants", folds.stream().map(CrossValidation.Fold::participantId).toList(), chart);
            publisher.publish(Topic.TRAINING_CROSSVAL, studyId, record);
            status.put(id, new Status(id, studyId, c.architecture().id(), c.task().id(), JobState.COMPLETED,
                    groups.size(), List.copyOf(folds), mean, std, "done: " + dir));
        } catch (RuntimeException | Error | java.io.IOException e) { // an Error fails the job too
            LOG.errorf(e, "cross-validation %s failed", id);
            update(id, JobState.FAILED, folds, e.getMessage());
        }
    }

    private void update(String id, JobState state, List<CrossValidation.Fold> folds, String message) {
        status.computeIfPresent(id, (k, s) -> new Status(id, s.studyId(), s.model(), s.task(), state, s.foldsTotal(),
                List.copyOf(folds), s.mean(), s.std(), message));
    }
}
