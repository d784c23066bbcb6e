package dev.emotion.training.jobs;

import dev.emotion.core.contract.Contract;
import dev.emotion.core.contract.Contracts;
import dev.emotion.core.contract.CrossValidation;
import dev.emotion.core.contract.JobState;
import dev.emotion.core.contract.Split;
import dev.emotion.core.contract.Topic;
import dev.emotion.core.evaluation.ReportCharts;
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
        if (!c.architecture().trained()) {
            throw new TrainingJobs.Refused(c.architecture().id() + " is not trained; there is nothing to "
                    + "cross-validate (evaluate it on the test split instead)");
        }
        Map<String, List<Sample>> byParticipant = samplesByParticipant(r.studyId(), c);
        if (byParticipant.size() < 3) {
            throw new TrainingJobs.Refused("leave-one-participant-out needs at least 3 labelled participants (train,"
                    + " early-stopping and test per fold); study " + r.studyId() + " has " + byParticipant.size()
                    + " stored: " + byParticipant.keySet());
        }
        String id = "cv-" + c.architecture().id() + "-" + UUID.randomUUID().toString().substring(0, 8);
        Status queued = new Status(id, r.studyId(), c.architecture().id(), c.task().id(), JobState.QUEUED,
                byParticipant.size(), List.of(), Map.of(), Map.of(), "queued");
        status.put(id, queued);
        jobs.enqueue(() -> run(id, r.studyId(), c));
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

    private void run(String id, String studyId, Trainer.Config c) {
        List<CrossValidation.Fold> folds = new ArrayList<>();
        String pretrained = null;
        try {
            Map<String, List<Sample>> byParticipant = samplesByParticipant(studyId, c);
            List<String> people = new ArrayList<>(byParticipant.keySet());
            Path dir = jobs.experiments().resolve(c.architecture().id()).resolve("cross_validation").resolve(id);
            for (int i = 0; i < people.size(); i++) {
                String test = people.get(i);
                String val = people.get((i + 1) % people.size());
                List<Sample> train = new ArrayList<>();
                people.stream().filter(p -> !p.equals(test) && !p.equals(val))
                        .forEach(p -> train.addAll(byParticipant.get(p)));
                String foldId = id + "-" + test;
                update(id, JobState.RUNNING, folds, "fold " + (i + 1) + "/" + people.size() + ": testing on " + test
                        + ", early stopping on " + val + ", training on " + train.size() + " samples");
                Trainer.Result result = new Trainer().train(c, train, byParticipant.get(val), dir.resolve(test),
                        false, e -> jobs.announce(jobs.progress(foldId, studyId, c, JobState.RUNNING, e.epoch(),
                                e.step(), e.trainLoss(), e.valLoss(), e.valMetrics(), e.learningRate(),
                                e.imagesPerSecond(), "cross-validation " + id + ", held-out " + test)));
                pretrained = result.pretrainedWeights();
                Trainer.Evaluation ev = new Trainer().evaluateCheckpoint(c.spec(), c.task(), result.bestCheckpoint(),
                        byParticipant.get(test), c.batchSize());
                Map<String, Double> metrics = new LinkedHashMap<>(ev.metrics());
                metrics.remove("score");
                folds.add(new CrossValidation.Fold(test, val, train.size(), byParticipant.get(test).size(), metrics));
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
            CrossValidation record = new CrossValidation(Contract.CURRENT_VERSION, id, studyId, c.architecture(),
                    c.task(), SCHEME, List.copyOf(folds), mean, std, config, Instant.now());
            Files.createDirectories(dir);
            Files.write(dir.resolve("cross_validation.json"), Contracts.mapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(record));
            Map<String, List<Double>> chart = new LinkedHashMap<>();
            for (String metric : List.of("accuracy", "macro_f1", "balanced_accuracy", "micro_f1", "mae")) {
                if (mean.containsKey(metric)) {
                    chart.put(metric, folds.stream().map(f -> f.metrics().get(metric)).toList());
                }
            }
            ReportCharts.bars(dir.resolve("folds.png"), c.architecture().id() + " leave-one-participant-out",
                    "held-out participant", folds.stream().map(CrossValidation.Fold::participantId).toList(), chart);
            publisher.publish(Topic.TRAINING_CROSSVAL, studyId, record);
            status.put(id, new Status(id, studyId, c.architecture().id(), c.task().id(), JobState.COMPLETED,
                    people.size(), List.copyOf(folds), mean, std, "done: " + dir));
        } catch (RuntimeException | java.io.IOException e) {
            LOG.errorf(e, "cross-validation %s failed", id);
            update(id, JobState.FAILED, folds, e.getMessage());
        }
    }

    private void update(String id, JobState state, List<CrossValidation.Fold> folds, String message) {
        status.computeIfPresent(id, (k, s) -> new Status(id, s.studyId(), s.model(), s.task(), state, s.foldsTotal(),
                List.copyOf(folds), s.mean(), s.std(), message));
    }
}
