package dev.emotion.training.jobs;

import dev.emotion.core.FileNames;
import dev.emotion.core.contract.Contract;
import dev.emotion.core.contract.Contracts;
import dev.emotion.core.contract.CrossValidation;
import dev.emotion.core.contract.CrossValidationProgress;
import dev.emotion.core.contract.JobRequest;
import dev.emotion.core.contract.JobState;
import dev.emotion.core.contract.Split;
import dev.emotion.core.contract.Topic;
import dev.emotion.core.evaluation.ReportCharts;
import dev.emotion.core.contract.ParticipantSplits;
import dev.emotion.core.training.MeanCrop;
import dev.emotion.core.store.Sample;
import dev.emotion.core.training.Trainer;
import dev.emotion.core.view.CrossValidationBoard;
import dev.emotion.core.view.StudyCatalog;
import dev.emotion.kit.ApiErrors;
import dev.emotion.kit.JobWorker;
import dev.emotion.kit.KafkaClients;
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
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Leave-one-participant-out (or participant-grouped K-fold) cross-validation: for every labelled participant (group)
 * of a study, a model of the requested architecture is trained on everyone else (the next participant in order is
 * held out for early stopping) and tested on that participant; the per-fold metrics, their mean and standard
 * deviation go to {@code emotion.training.crossval} (evaluation-service puts them in the study's report), to
 * {@code experiments/<model>/cross_validation/<id>/} (JSON + bar chart) and to {@code GET /api/v1/cross-validations}.
 * Fold models are not registered. A cross-validation is a job like a training: {@code POST} publishes it on
 * {@code emotion.training.requests} (kind {@code cross-validation}) and whichever training worker owns the record's
 * partition runs it, one job at a time; its state goes to {@code emotion.training.crossval.progress} after every
 * fold, so any replica answers {@code GET}, and a worker that takes it over from one that stopped skips the folds
 * already done.
 */
@ApplicationScoped
public class CrossValidations {

    private static final Logger LOG = Logger.getLogger(CrossValidations.class);
    public static final String SCHEME = "leave-one-participant-out";
    /** The {@link JobRequest#kind()} of a cross-validation on the training requests topic. */
    public static final String KIND = "cross-validation";
    /** Frames per participant the identity probe reads (evenly spaced in time): enough for a linear probe, cheap. */
    static final int PROBE_FRAMES_PER_PERSON = 24;

    private final TrainingJobs jobs;
    private final DatasetStore datasets;
    private final StudyCatalog studies;
    private final RecordPublisher publisher;
    private final CrossValidationBoard board;
    private final KafkaClients kafka;

    public CrossValidations(TrainingJobs jobs, DatasetStore datasets, StudyCatalog studies,
                            RecordPublisher publisher, CrossValidationBoard board, KafkaClients kafka) {
        this.jobs = jobs;
        this.datasets = datasets;
        this.studies = studies;
        this.publisher = publisher;
        this.board = board;
        this.kafka = kafka;
    }

    public CrossValidationProgress submit(TrainingRequest r) {
        Trainer.Config c = jobs.validated(r);
        if (r.resume() != null) {
            throw new TrainingJobs.Refused("resume does not apply to a cross-validation");
        }
        List<List<String>> groups = groups(r, c, samplesByParticipant(r.studyId(), c));
        String id = "cv-" + c.architecture().id() + "-" + UUID.randomUUID().toString().substring(0, 8);
        jobs.awaitWorker();
        Instant now = Instant.now();
        CrossValidationProgress queued = new CrossValidationProgress(Contract.CURRENT_VERSION, id, r.studyId(),
                c.architecture(), c.task(), JobState.QUEUED, groups.size(), List.of(), Map.of(), Map.of(), "queued",
                null, now, now);
        announce(queued);
        @SuppressWarnings("unchecked")
        Map<String, Object> asMap = Contracts.mapper().convertValue(r, Map.class);
        publisher.publish(Topic.TRAINING_REQUESTS, id, new JobRequest(Contract.CURRENT_VERSION, KIND, id, asMap,
                now));
        return queued;
    }

    /** The folds of the request on the study's samples; refuses a study or fold count that cannot make them. */
    private static List<List<String>> groups(TrainingRequest r, Trainer.Config c,
                                             Map<String, List<Sample>> byParticipant) {
        if (byParticipant.size() < 3) {
            throw new TrainingJobs.Refused("cross-validation needs at least 3 labelled participants (train,"
                    + " early-stopping and test per fold); study " + r.studyId() + " has " + byParticipant.size()
                    + " stored: " + byParticipant.keySet());
        }
        if (r.folds() != null && (r.folds() < 3 || r.folds() > byParticipant.size())) {
            throw new TrainingJobs.Refused("folds must be 3.." + byParticipant.size() + " (the study's labelled "
                    + "participants: one group tests, the next stops early, the rest train); got " + r.folds());
        }
        return groups(new ArrayList<>(byParticipant.keySet()), r.folds(), c.seed());
    }

    public CrossValidationProgress get(String id) {
        return board.get(id).orElseThrow(() -> new ApiErrors.Missing("no cross-validation " + id,
                "list them with GET /api/v1/cross-validations"));
    }

    public List<CrossValidationProgress> list(String studyId) {
        return board.list(studyId);
    }

    /**
     * Announces the cross-validation cancelled: the worker running it stops at its fold's next batch (it sees the
     * event in its view) and ends that fold's run as cancelled; a queued request is skipped when a worker takes it.
     * A cancelled cross-validation stays cancelled (the view keeps the first terminal state).
     */
    public CrossValidationProgress cancel(String id) {
        CrossValidationProgress latest = get(id);
        if (latest.state().isFinal()) {
            throw new TrainingJobs.Refused("cross-validation " + id + " already ended (" + latest.state().label()
                    + ")");
        }
        CrossValidationProgress cancelled = new CrossValidationProgress(Contract.CURRENT_VERSION, id,
                latest.studyId(), latest.model(), latest.task(), JobState.CANCELLED, latest.foldsTotal(),
                latest.folds(), Map.of(), Map.of(), "cancelled by request after " + latest.folds().size() + " of "
                + latest.foldsTotal() + " folds", latest.worker(), latest.submittedAt(), Instant.now());
        announce(cancelled);
        return cancelled;
    }

    private boolean cancelled(String id) {
        return board.get(id).map(p -> p.state() == JobState.CANCELLED).orElse(false);
    }

    /** The cross-validation was cancelled while this worker ran it. */
    static final class Cancelled extends RuntimeException {
        Cancelled(String message) {
            super(message);
        }
    }

    /**
     * A training worker took a cross-validation request: runs it unless its events say it ended; a run taken over
     * from a worker that stopped keeps the folds that worker finished (same seed, same participants: same folds).
     */
    void take(ConsumerRecord<String, String> record, JobRequest request, JobWorker.Job job) {
        String id = request.jobId();
        JobWorker.awaitView(kafka, jobs.workerId() + "-cv-offsets", Topic.TRAINING_CROSSVAL_PROGRESS.topicName(),
                board.position(), java.time.Duration.ofMinutes(1));
        Optional<CrossValidationProgress> latest = board.get(id);
        if (latest.isPresent() && latest.get().state().isFinal()) {
            LOG.infof("cross-validation %s already %s; not run again", id, latest.get().state().label());
            return;
        }
        Instant submitted = latest.map(CrossValidationProgress::submittedAt).orElse(request.submittedAt());
        TrainingRequest r = null;
        Trainer.Config c;
        List<List<String>> groups;
        Map<String, List<Sample>> byParticipant; // read from the store once: for the folds and for the run
        try {
            r = Contracts.mapper().convertValue(request.request(), TrainingRequest.class);
            c = jobs.validated(r);
            byParticipant = samplesByParticipant(r.studyId(), c);
            groups = groups(r, c, byParticipant);
        } catch (RuntimeException e) {
            CrossValidationProgress before = latest.orElse(null);
            announce(new CrossValidationProgress(Contract.CURRENT_VERSION, id, r == null || r.studyId() == null
                    ? before == null ? "unknown" : before.studyId() : r.studyId(),
                    before == null ? dev.emotion.core.contract.Architecture.CNN_SIMPLE : before.model(),
                    before == null ? dev.emotion.core.contract.Task.EMOTION_CLASS : before.task(), JobState.FAILED,
                    before == null ? 1 : before.foldsTotal(), before == null ? List.of() : before.folds(), Map.of(),
                    Map.of(), "the request no longer holds: " + e.getMessage(), jobs.workerId(), submitted,
                    Instant.now()));
            return;
        }
        List<CrossValidation.Fold> done = new ArrayList<>();
        if (latest.isPresent()) {
            List<CrossValidation.Fold> before = latest.get().folds();
            for (int i = 0; i < before.size() && i < groups.size()
                    && before.get(i).participantId().equals(String.join("+", groups.get(i))); i++) {
                done.add(before.get(i));
            }
        }
        run(id, r.studyId(), c, byParticipant, groups, done, submitted, job);
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

    private void run(String id, String studyId, Trainer.Config c, Map<String, List<Sample>> byParticipant,
                     List<List<String>> groups, List<CrossValidation.Fold> done, Instant submitted,
                     JobWorker.Job job) {
        List<CrossValidation.Fold> folds = new ArrayList<>(done);
        String pretrained = null;
        String[] foldRun = {null, null}; // the fold's run id and held-out group while it trains
        try {
            List<Sample> everyone = byParticipant.values().stream().flatMap(List::stream).toList();
            // Each video's mean crop (for the identity probe) depends on no fold: read the crops once.
            Map<String, MeanCrop> baselines = c.participantBaseline() ? MeanCrop.perVideo(everyone) : null;
            Path dir = jobs.experiments().resolve(c.architecture().id()).resolve("cross_validation").resolve(id);
            if (!done.isEmpty()) {
                LOG.infof("cross-validation %s taken over by %s: %d of %d folds already done", id, jobs.workerId(),
                        done.size(), groups.size());
            }
            for (int i = folds.size(); i < groups.size(); i++) {
                List<String> testGroup = groups.get(i);
                List<String> valGroup = groups.get((i + 1) % groups.size());
                String test = String.join("+", testGroup);
                String val = String.join("+", valGroup);
                List<Sample> train = new ArrayList<>();
                List<Sample> valSamples = new ArrayList<>();
                List<Sample> testSamples = new ArrayList<>();
                byParticipant.forEach((p, samples) -> (testGroup.contains(p) ? testSamples
                        : valGroup.contains(p) ? valSamples : train).addAll(samples));
                // Named by position, not by the people in it: a fold of a study of stills holds dozens of people,
                // whose joined names exceed a file name's 255 bytes.
                String foldName = foldName(i);
                String foldId = id + "-" + foldName;
                if (cancelled(id)) {
                    throw new Cancelled("cancelled before fold " + (i + 1));
                }
                foldRun[0] = foldId;
                foldRun[1] = test;
                announce(status(id, studyId, c, JobState.RUNNING, groups.size(), folds, Map.of(), Map.of(),
                        "fold " + (i + 1) + "/" + groups.size() + ": testing on " + people(testGroup)
                                + ", early stopping on " + people(valGroup) + ", training on " + train.size()
                                + " samples", submitted));
                // A fold taken over from a worker that stopped goes on from its last checkpoint (on the shared
                // experiments volume), like a training: same seed, same folds, so the same result as uninterrupted.
                Trainer.Result result = new Trainer().train(c, train, valSamples, dir.resolve(foldName),
                        true, new Trainer.Listener() {
                    @Override
                    public void epoch(Trainer.EpochReport e) {
                        jobs.announce(jobs.progress(foldId, studyId, c, JobState.RUNNING, e.epoch(), e.step(),
                                e.trainLoss(), e.valLoss(), e.valMetrics(), e.learningRate(), e.imagesPerSecond(),
                                "cross-validation " + id + ", held-out " + test));
                    }

                    @Override
                    public void message(String line) {
                        LOG.infof("cross-validation %s, fold %s: %s", id, test, line);
                    }

                    @Override
                    public void batch(int epoch, int batch, int batches) {
                        if (job.handedOver()) {
                            throw new TrainingJobs.HandedOver("handed over in fold " + test + ", epoch " + epoch);
                        }
                        if (cancelled(id)) {
                            throw new Cancelled("cancelled in fold " + test + ", epoch " + epoch);
                        }
                    }
                });
                pretrained = result.pretrainedWeights();
                // Scored as served: a held-out face's baseline is the cold-start one, then its running mean; the
                // whole-video (transductive) figure beside it, for comparison only.
                Trainer.Evaluation ev = c.participantBaseline()
                        ? new Trainer().evaluateCheckpointCausally(c.spec(), c.task(), result.bestCheckpoint(),
                                testSamples, c.batchSize())
                        : new Trainer().evaluateCheckpoint(c.spec(), c.task(), result.bestCheckpoint(), testSamples,
                                c.batchSize(), false);
                Map<String, Double> metrics = new LinkedHashMap<>(ev.metrics());
                metrics.remove("score");
                if (c.participantBaseline()) {
                    Trainer.Evaluation whole = new Trainer().evaluateCheckpoint(c.spec(), c.task(),
                            result.bestCheckpoint(), testSamples, c.batchSize(), true);
                    whole.metrics().forEach((k, v) -> {
                        if (!k.equals("score")) {
                            metrics.put("transductive_" + k, v);
                        }
                    });
                }
                // How the fold trained (an untrained architecture such as the baseline reports 0 epochs).
                metrics.put("epochs_trained", (double) (c.architecture().trained() ? result.history().size() : 0));
                metrics.put("best_epoch", (double) result.bestEpoch());
                metrics.put("train_images_per_second", result.history().stream()
                        .mapToDouble(Trainer.EpochReport::imagesPerSecond).filter(x -> x > 0).average().orElse(0));
                // How much identity this fold's features carry about people it never saw (the test group; a fold
                // of one person has nothing to tell apart), beside raw pixels and the untrained net (IdentityProbe).
                if (testSamples.stream().map(Sample::participantId).distinct().count() >= 2) {
                    Trainer.IdentityProbes probe = new Trainer().identityProbes(c.spec(), c.task(),
                            result.bestCheckpoint(), testSamples, PROBE_FRAMES_PER_PERSON, c.batchSize(), baselines);
                    metrics.put("identity_probe_accuracy", probe.model().accuracy());
                    metrics.put("identity_probe_raw_pixels", probe.rawPixels().accuracy());
                    metrics.put("identity_probe_random_init", probe.randomInit().accuracy());
                    metrics.put("identity_probe_chance", probe.model().chance());
                }
                // The fold's test participants and the run's end, for GET /api/v1/trainings: a fold run ended.
                jobs.announce(jobs.progress(foldId, studyId, c, JobState.COMPLETED, result.history().size(), 0, null,
                        null, Map.of(), 0, 0, "fold of cross-validation " + id + ", tested on " + test));
                foldRun[0] = null;
                folds.add(new CrossValidation.Fold(test, val, train.size(), testSamples.size(), metrics));
                LOG.infof("cross-validation %s: fold %s %s", id, test, metrics);
                announce(status(id, studyId, c, JobState.RUNNING, groups.size(), folds, Map.of(), Map.of(),
                        "fold " + (i + 1) + "/" + groups.size() + " done: " + test, submitted));
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
            announce(status(id, studyId, c, JobState.COMPLETED, groups.size(), folds, mean, std, "done: " + dir,
                    submitted));
        } catch (Cancelled e) {
            LOG.infof("cross-validation %s %s; %d folds were done", id, e.getMessage(), folds.size());
            if (foldRun[0] != null) { // the fold's run ends too, so GET /api/v1/trainings shows no run left running
                jobs.announce(jobs.progress(foldRun[0], studyId, c, JobState.CANCELLED, 0, 0, null, null, Map.of(), 0,
                        0, "cross-validation " + id + " cancelled; held-out " + foldRun[1]));
            }
        } catch (TrainingJobs.HandedOver e) {
            LOG.warnf("cross-validation %s: %s; the next owner goes on after the %d folds done", id, e.getMessage(),
                    folds.size());
            announce(status(id, studyId, c, JobState.RUNNING, groups.size(), folds, Map.of(), Map.of(),
                    e.getMessage() + " by " + jobs.workerId() + "; the next worker goes on after the " + folds.size()
                            + " folds done", submitted));
        } catch (RuntimeException | Error | java.io.IOException e) { // an Error fails the job too
            LOG.errorf(e, "cross-validation %s failed", id);
            announce(status(id, studyId, c, JobState.FAILED, groups.size(), folds, Map.of(), Map.of(),
                    e.getMessage() == null ? e.toString() : e.getMessage(), submitted));
        }
    }

    private CrossValidationProgress status(String id, String studyId, Trainer.Config c, JobState state, int total,
                                           List<CrossValidation.Fold> folds, Map<String, Double> mean,
                                           Map<String, Double> std, String message, Instant submitted) {
        return new CrossValidationProgress(Contract.CURRENT_VERSION, id, studyId, c.architecture(), c.task(), state,
                total, List.copyOf(folds), mean, std, message, jobs.workerId(), submitted, Instant.now());
    }

    /** Applied here first (read-your-writes on this replica), then published for the others. */
    private void announce(CrossValidationProgress p) {
        board.apply(p);
        publisher.publish(Topic.TRAINING_CROSSVAL_PROGRESS, p.crossValidationId(), p);
    }

    /** The folder (under the cross-validation's) and run-id suffix of fold {@code index} (from 0). */
    public static String foldName(int index) {
        return String.format(java.util.Locale.ROOT, "fold-%02d", index + 1);
    }

    /** A fold's people for a message: all of them when few, else the first three and how many more. */
    static String people(List<String> group) {
        return group.size() <= 4 ? String.join("+", group)
                : String.join("+", group.subList(0, 3)) + " and " + (group.size() - 3) + " more";
    }
}
