package dev.emotion.core.evaluation;

import dev.emotion.core.contract.AffectOutputs;

import dev.emotion.core.metrics.TemporalSmoothing;
import dev.emotion.core.metrics.AffectMetrics;
import dev.emotion.core.metrics.Bootstrap;
import dev.emotion.core.metrics.ClassificationMetrics;
import dev.emotion.core.metrics.ExpressionMetrics;
import dev.emotion.core.metrics.MultilabelMetrics;
import dev.emotion.core.metrics.Probabilities;
import dev.emotion.core.metrics.RegressionMetrics;
import dev.emotion.core.metrics.Roc;

import dev.emotion.core.FileNames;
import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.emotion.core.contract.Architecture;
import dev.emotion.core.contract.Emotion;
import dev.emotion.core.contract.Task;
import dev.emotion.core.models.EmotionNet;
import dev.emotion.core.training.TrainedModel;
import dev.emotion.core.training.BatchLoader;
import dev.emotion.core.training.MeanCrop;
import dev.emotion.core.store.Sample;
import dev.emotion.core.training.Trainer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import javax.imageio.ImageIO;

/**
 * Evaluates one trained model on the held-out participants: metrics for its task, bootstrap CIs, calibration with
 * temperature scaling fitted on the validation split, per-participant metrics, per-video timelines, efficiency and
 * (ViTs) attention maps. Charts go to {@code chartsDir}; paths in the result are relative to its parent.
 */
public final class ModelEvaluator {

    /** How much work to spend: bootstrap replicates, latency runs, videos with timelines, attention samples. */
    public record Options(int bootstrapReplicates, int latencyRuns, int throughputBatches, int timelineVideos,
                          int attentionSamples, long seed) {
        public static final Options DEFAULT = new Options(1000, 50, 3, 3, 4, 42);
    }

    public record CalibrationReport(double eceBefore, Double eceAfter, Double temperature,
                                    List<Calibration.Bin> binsBefore, List<Calibration.Bin> binsAfter) {
    }

    public record AttentionReport(int blocks, int heads, int grid, List<Double> headDiversity, String note) {
    }

    /**
     * How a held-out person's frames are normalised by a model trained on participant baselines. CAUSAL is how
     * serving sees a face (frames in time order; the model's cold-start baseline until {@link MeanCrop#WARM_FRAMES}
     * frames, then the running mean of the frames so far) and is the headline; COLD_START is a single photo (always
     * the cold-start baseline); TRANSDUCTIVE subtracts the mean of the person's whole video, future frames included,
     * which serving can never do (shown for comparison only).
     */
    public enum Protocol {
        CAUSAL, COLD_START, TRANSDUCTIVE;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * A classifier's answers on the validation split, kept to choose between models without looking at the test
     * split: per frame its id, participant, true and predicted class.
     */
    public record Selection(List<String> sampleIds, List<String> groups, int[] truth, int[] predicted) {
    }

    /** Everything known about one model's test performance; {@code <model>_results.json} in the seed's layout. */
    public record ModelResult(String modelId, Architecture architecture, Task task, int testSamples,
                              List<String> participants, Map<String, Double> metrics,
                              Map<String, Bootstrap.Interval> confidenceIntervals,
                              ClassificationMetrics classification, MultilabelMetrics multilabel,
                              RegressionMetrics regression, CalibrationReport calibration,
                              Map<String, Map<String, Double>> perParticipant, Efficiency efficiency,
                              AttentionReport attention, Map<String, String> charts, List<String> notes,
                              Map<String, Object> training, @JsonIgnore boolean[] correct,
                              @JsonIgnore List<String> sampleIds, List<Agreement.Channel> affdexAgreement,
                              Map<String, Map<String, Double>> protocols, Map<String, Double> validation,
                              @JsonIgnore Selection selection) {

        /** Without the agreement with AFFDEX's traces (regression models, injected results). */
        public ModelResult(String modelId, Architecture architecture, Task task, int testSamples,
                           List<String> participants, Map<String, Double> metrics,
                           Map<String, Bootstrap.Interval> confidenceIntervals, ClassificationMetrics classification,
                           MultilabelMetrics multilabel, RegressionMetrics regression, CalibrationReport calibration,
                           Map<String, Map<String, Double>> perParticipant, Efficiency efficiency,
                           AttentionReport attention, Map<String, String> charts, List<String> notes,
                           Map<String, Object> training, boolean[] correct, List<String> sampleIds) {
            this(modelId, architecture, task, testSamples, participants, metrics, confidenceIntervals, classification,
                    multilabel, regression, calibration, perParticipant, efficiency, attention, charts, notes,
                    training, correct, sampleIds, List.of(), Map.of(), Map.of(), null);
        }

        /** The same result with its validation-split answers (injected results, tests). */
        public ModelResult withSelection(Map<String, Double> validationMetrics, Selection chosenOn) {
            return new ModelResult(modelId, architecture, task, testSamples, participants, metrics,
                    confidenceIntervals, classification, multilabel, regression, calibration, perParticipant,
                    efficiency, attention, charts, notes, training, correct, sampleIds, affdexAgreement, protocols,
                    validationMetrics, chosenOn);
        }
    }

    private final Options options;

    public ModelEvaluator(Options options) {
        this.options = options;
    }

    public ModelResult evaluate(TrainedModel model, List<Sample> test, List<Sample> validation, Path chartsDir,
                                Consumer<String> progress) throws IOException {
        Task task = model.task();
        // affect: judged on the frames with a dominant label, the frames every emotion_class model is tested on (so
        // the statistical tests pair them); its other heads on those of these frames that have their targets
        List<Sample> usable = Trainer.usable(test, task == Task.AFFECT ? Task.EMOTION_CLASS : task);
        if (usable.isEmpty()) {
            throw new IllegalArgumentException("the test split has no samples with a target for " + task.id()
                    + " (held-out participants: " + participants(test) + "): ingest a study whose test split has"
                    + " labels for this task");
        }
        String name = model.modelId();
        String prefix = chartsDir.getFileName() + "/";
        Map<String, String> charts = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        if (!model.architecture().trained()) {
            notes.add("zero-training baseline: face-api's expression network as published (trained on other faces),"
                    + " its 7 outputs mapped onto ours (happy->joy, sad->sadness, angry->anger, fearful->fear,"
                    + " disgusted->disgust, surprised->surprise, neutral); it has no contempt output, so contempt is"
                    + " never predicted and its recall is 0 by construction");
        } else if (model.spec().backbone() != null) {
            notes.add("frozen backbone: " + model.spec().backbone().description());
        }
        progress.accept("scoring " + usable.size() + " test frames");
        TrainedModel.Scores scores = score(model, usable, Protocol.CAUSAL);
        Map<String, Map<String, Double>> protocols = new LinkedHashMap<>();
        if (model.participantBaseline()) {
            progress.accept("scoring the test frames as single photos and with whole-video baselines");
            protocols.put(Protocol.CAUSAL.id(), headline(model, usable, model.probabilities(scores)));
            for (Protocol p : List.of(Protocol.COLD_START, Protocol.TRANSDUCTIVE)) {
                protocols.put(p.id(), headline(model, usable, model.probabilities(score(model, usable, p))));
            }
            notes.add(String.format(java.util.Locale.ROOT, "scored as served: each held-out face minus the model's "
                    + "cold-start baseline for its first %d frames, then minus the running mean of its frames so far"
                    + " (causal); as single photos and with the mean of the whole video (transductive, future "
                    + "frames included) in the protocols table", MeanCrop.WARM_FRAMES));
        }
        List<Sample> validationUsable = Trainer.usable(validation, task == Task.AFFECT ? Task.EMOTION_CLASS : task);
        TrainedModel.Scores validationScores = validationUsable.isEmpty() ? null
                : score(model, validationUsable, Protocol.CAUSAL);
        Map<String, Double> validationMetrics = validationScores == null ? Map.of()
                : headline(model, validationUsable, model.probabilities(validationScores));
        Selection selection = null;
        if (validationScores != null && (task == Task.EMOTION_CLASS || task == Task.AFFECT)) {
            double[][] v = model.probabilities(validationScores);
            int[] predicted = new int[v.length];
            for (int i = 0; i < v.length; i++) {
                predicted[i] = ClassificationMetrics.argMax(task == Task.AFFECT
                        ? java.util.Arrays.copyOf(v[i], AffectOutputs.EXPRESSIONS) : v[i]);
            }
            selection = new Selection(validationUsable.stream().map(Sample::id).toList(),
                    validationUsable.stream().map(Sample::participantId).toList(),
                    validationUsable.stream().mapToInt(Sample::dominant).toArray(), predicted);
        }
        double[][] heads = model.probabilities(scores);
        double[][] probs = task == Task.AFFECT ? Probabilities.columns(heads, 0, AffectOutputs.EXPRESSIONS)
                : heads;
        List<String> labels = task == Task.AFFECT ? Emotion.DOMINANT_LABELS : model.labels();
        List<String> groups = usable.stream().map(Sample::participantId).toList();
        Map<String, Double> metrics;
        Map<String, Bootstrap.Interval> ci;
        ClassificationMetrics cls = null;
        MultilabelMetrics ml = null;
        RegressionMetrics reg = null;
        CalibrationReport calibration = null;
        boolean[] correct = null;
        Map<String, Map<String, Double>> perParticipant = new TreeMap<>();
        switch (task) {
            case EMOTION_CLASS, AFFECT -> {
                int[] truth = usable.stream().mapToInt(Sample::dominant).toArray();
                cls = ClassificationMetrics.of(truth, probs, labels);
                metrics = cls.headline();
                notes.addAll(cls.notes());
                ci = Bootstrap.intervals(groups, idx -> ClassificationMetrics.of(pick(truth, idx), pick(probs, idx),
                        labels).headline(), options.bootstrapReplicates(), options.seed());
                correct = new boolean[truth.length];
                for (int i = 0; i < truth.length; i++) {
                    correct[i] = ClassificationMetrics.argMax(probs[i]) == truth[i];
                }
                calibration = calibrate(model, truth, scores, validationUsable, validationScores, notes);
                Map<String, List<Roc.Point>> curves = new LinkedHashMap<>();
                for (int c = 0; c < labels.size(); c++) {
                    double[] s = new double[truth.length];
                    boolean[] pos = new boolean[truth.length];
                    for (int i = 0; i < truth.length; i++) {
                        s[i] = probs[i][c];
                        pos[i] = truth[i] == c;
                    }
                    curves.put(labels.get(c), Roc.curve(s, pos));
                }
                charts.put("confusion", rel(prefix, ReportCharts.confusion(chartsDir.resolve("confusion.png"),
                        name + ": confusion (row-normalised)", labels, cls.confusionNormalized())));
                charts.put("roc", rel(prefix, ReportCharts.roc(chartsDir.resolve("roc.png"), name
                        + ": ROC one-vs-rest", curves)));
                charts.put("reliability", rel(prefix, ReportCharts.reliability(chartsDir.resolve("reliability.png"),
                        name + ": reliability", new Calibration.Result(calibration.eceBefore(),
                                calibration.binsBefore()), calibration.eceAfter() == null ? null
                                : new Calibration.Result(calibration.eceAfter(), calibration.binsAfter()))));
                timelines(model, labels, usable, probs, chartsDir, prefix, charts);
                for (String p : new java.util.TreeSet<>(groups)) {
                    int[] idx = indicesOf(groups, p);
                    perParticipant.put(p, ClassificationMetrics.of(pick(truth, idx), pick(probs, idx),
                            labels).headline());
                }
                if (task == Task.AFFECT) { // every head's metrics, each on the frames with its target
                    AffectMetrics.Targets targets = Trainer.affectTargets(usable);
                    metrics = AffectMetrics.of(heads, targets);
                    ci = Bootstrap.intervals(groups, idx -> AffectMetrics.of(pick(heads, idx), targets.pick(idx)),
                            options.bootstrapReplicates(), options.seed());
                    for (String p : new java.util.TreeSet<>(groups)) {
                        int[] idx = indicesOf(groups, p);
                        perParticipant.put(p, AffectMetrics.of(pick(heads, idx), targets.pick(idx)));
                    }
                }
            }
            case EMOTION_MULTILABEL -> {
                boolean[][] truth = new boolean[usable.size()][7];
                for (int i = 0; i < usable.size(); i++) {
                    for (int k = 0; k < 7; k++) {
                        truth[i][k] = usable.get(i).emotions()[k] >= 0.5f;
                    }
                }
                ml = MultilabelMetrics.of(truth, probs, model.labels());
                metrics = ml.headline();
                ci = Bootstrap.intervals(groups, idx -> MultilabelMetrics.of(pick(truth, idx), pick(probs, idx),
                        model.labels()).headline(), options.bootstrapReplicates(), options.seed());
                for (String p : new java.util.TreeSet<>(groups)) {
                    int[] idx = indicesOf(groups, p);
                    perParticipant.put(p, MultilabelMetrics.of(pick(truth, idx), pick(probs, idx), model.labels())
                            .headline());
                }
            }
            case EXPRESSION_REGRESSION -> {
                double[][] truth = Trainer.expressionTargets(usable);
                List<String> names = model.labels();
                metrics = ExpressionMetrics.of(probs, truth, names).headline();
                ci = Bootstrap.intervals(groups, idx -> ExpressionMetrics.of(pick(probs, idx), pick(truth, idx), names)
                        .headline(), options.bootstrapReplicates(), options.seed());
                for (String p : new java.util.TreeSet<>(groups)) {
                    int[] idx = indicesOf(groups, p);
                    perParticipant.put(p, ExpressionMetrics.of(pick(probs, idx), pick(truth, idx), names).headline());
                }
            }
            default -> {
                double[] truth = usable.stream().mapToDouble(Sample::attention).toArray();
                double[] pred = new double[truth.length];
                for (int i = 0; i < pred.length; i++) {
                    pred[i] = probs[i][0];
                }
                reg = RegressionMetrics.of(pred, truth);
                metrics = reg.headline();
                ci = Bootstrap.intervals(groups, idx -> RegressionMetrics.of(pick(pred, idx), pick(truth, idx))
                        .headline(), options.bootstrapReplicates(), options.seed());
                for (String p : new java.util.TreeSet<>(groups)) {
                    int[] idx = indicesOf(groups, p);
                    perParticipant.put(p, RegressionMetrics.of(pick(pred, idx), pick(truth, idx)).headline());
                }
            }
        }
        List<Agreement.Channel> affdex = task == Task.EMOTION_CLASS || task == Task.EMOTION_MULTILABEL
                || task == Task.AFFECT ? Agreement.perEmotion(labels, probs, usable.stream().map(Sample::emotions).toList(), groups,
                options.bootstrapReplicates(), options.seed()) : List.of();
        if (perParticipant.size() < 2) {
            notes.add("only " + perParticipant.size() + " held-out participant: confidence intervals resample "
                    + "frames of that person and say nothing about other people; use leave-one-participant-out");
        }
        AttentionReport attention = null;
        if (model.isVit() && options.attentionSamples() > 0) {
            progress.accept("attention maps");
            attention = attention(model, usable, chartsDir, prefix, charts);
        } else if (model.hasGradCam() && options.attentionSamples() > 0) {
            progress.accept("Grad-CAM maps");
            attention = gradCam(model, usable, chartsDir, charts);
        }
        progress.accept("measuring latency and throughput");
        Efficiency efficiency = Efficiency.measure(model, 5, options.latencyRuns(), options.throughputBatches());
        Map<String, Object> training = new LinkedHashMap<>();
        model.description().fields().forEachRemaining(e -> {
            if (e.getKey().equals("config") || e.getKey().equals("valMetrics") || e.getKey().equals("bestEpoch")) {
                training.put(e.getKey(), e.getValue());
            }
        });
        return new ModelResult(name, model.architecture(), task, usable.size(),
                List.copyOf(new java.util.TreeSet<>(groups)), metrics, ci, cls, ml, reg, calibration, perParticipant,
                efficiency, attention, charts, notes, training, correct,
                usable.stream().map(Sample::id).toList(), affdex, protocols, validationMetrics, selection);
    }

    /** The task's headline metrics of {@code heads} (the model's outputs) on {@code usable}. */
    private static Map<String, Double> headline(TrainedModel model, List<Sample> usable, double[][] heads) {
        return switch (model.task()) {
            case EMOTION_CLASS -> ClassificationMetrics.of(usable.stream().mapToInt(Sample::dominant).toArray(), heads,
                    model.labels()).headline();
            case AFFECT -> ClassificationMetrics.of(usable.stream().mapToInt(Sample::dominant).toArray(),
                    Probabilities.columns(heads, 0, AffectOutputs.EXPRESSIONS), Emotion.DOMINANT_LABELS).headline();
            case EMOTION_MULTILABEL -> {
                boolean[][] truth = new boolean[usable.size()][7];
                for (int i = 0; i < usable.size(); i++) {
                    for (int k = 0; k < 7; k++) {
                        truth[i][k] = usable.get(i).emotions()[k] >= 0.5f;
                    }
                }
                yield MultilabelMetrics.of(truth, heads, model.labels()).headline();
            }
            case EXPRESSION_REGRESSION -> ExpressionMetrics.of(heads, Trainer.expressionTargets(usable),
                    model.labels()).headline();
            default -> {
                double[] pred = new double[heads.length];
                for (int i = 0; i < pred.length; i++) {
                    pred[i] = heads[i][0];
                }
                yield RegressionMetrics.of(pred, usable.stream().mapToDouble(Sample::attention).toArray()).headline();
            }
        };
    }

    private static String participants(List<Sample> samples) {
        return samples.stream().map(Sample::participantId).distinct().sorted().toList().toString();
    }

    /** Each participant's mean face over every frame given (not only those drawn), when the model uses them. */
    private static java.util.Map<String, dev.emotion.core.training.MeanCrop> baselines(TrainedModel model,
                                                                                      List<Sample> samples) {
        return model.participantBaseline() ? dev.emotion.core.training.MeanCrop.perVideo(samples) : null;
    }

    /** The model's outputs for {@code samples} (in their order), normalised as {@code protocol} says. */
    public static TrainedModel.Scores score(TrainedModel model, List<Sample> samples, Protocol protocol) {
        if (!model.participantBaseline() || protocol == Protocol.TRANSDUCTIVE) {
            try (BatchLoader loader = new BatchLoader(samples, model.spec(), false, 0, model.participantBaseline())) {
                return scoreBatches(model, loader, samples.size());
            }
        }
        MeanCrop cold = model.coldStartBaseline();
        if (protocol == Protocol.COLD_START) {
            try (BatchLoader loader = new BatchLoader(samples, model.spec(), false, 0,
                    (java.util.function.Function<Sample, MeanCrop>) s -> cold)) {
                return scoreBatches(model, loader, samples.size());
            }
        }
        // Causal: each face's frames in time order, each with the running mean of its past (MeanCrop.causal).
        Map<Sample, MeanCrop> causal = MeanCrop.causal(samples, cold);
        try (BatchLoader loader = new BatchLoader(samples, model.spec(), false, 0,
                (java.util.function.Function<Sample, MeanCrop>) causal::get)) {
            return scoreBatches(model, loader, samples.size());
        }
    }

    private static TrainedModel.Scores scoreBatches(TrainedModel model, BatchLoader loader, int n) {
        float[] values = null;
        int outputs = 0;
        Iterator<BatchLoader.Batch> it = loader.batches(0, 32, false);
        while (it.hasNext()) {
            BatchLoader.Batch b = it.next();
            TrainedModel.Scores s = model.score(b.images(), b.count(), false);
            if (values == null) {
                outputs = s.outputs();
                values = new float[n * outputs];
            }
            for (int i = 0; i < b.count(); i++) {
                System.arraycopy(s.values(), i * outputs, values, b.indices()[i] * outputs, outputs);
            }
        }
        return new TrainedModel.Scores(n, outputs, values, null);
    }

    private CalibrationReport calibrate(TrainedModel model, int[] truth, TrainedModel.Scores scores,
                                        List<Sample> validation, TrainedModel.Scores v, List<String> notes) {
        double[][] logits = classLogits(model, scores);
        Calibration.Result before = Calibration.of(truth, Probabilities.softmax(logits, 1), Calibration.BINS);
        if (validation.isEmpty()) {
            notes.add("no validation split: temperature scaling skipped");
            return new CalibrationReport(before.ece(), null, null, before.bins(), null);
        }
        double[][] valLogits = classLogits(model, v);
        int[] valTruth = validation.stream().mapToInt(Sample::dominant).toArray();
        double t = Calibration.fitTemperature(valTruth, valLogits);
        Calibration.Result after = Calibration.of(truth, Probabilities.softmax(logits, t), Calibration.BINS);
        return new CalibrationReport(before.ece(), after.ece(), t, before.bins(), after.bins());
    }

    /** The dominant-emotion logits of each row (an affect model's class head). */
    private static double[][] classLogits(TrainedModel model, TrainedModel.Scores scores) {
        double[][] logits = Probabilities.rows(scores.values(), scores.count());
        return model.task() == Task.AFFECT ? Probabilities.columns(logits, 0, AffectOutputs.EXPRESSIONS) : logits;
    }

    private void timelines(TrainedModel model, List<String> labels, List<Sample> samples, double[][] probs, Path dir,
                           String prefix, Map<String, String> charts) throws IOException {
        Map<String, List<Integer>> byVideo = new TreeMap<>();
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            byVideo.computeIfAbsent(s.participantId() + "/" + s.videoId(), k -> new ArrayList<>()).add(i);
        }
        int drawn = 0;
        for (var e : byVideo.entrySet()) {
            if (drawn++ >= options.timelineVideos()) {
                break;
            }
            List<Integer> idx = new ArrayList<>(e.getValue());
            idx.sort(java.util.Comparator.comparingLong(i -> samples.get(i).timestampMs()));
            List<Double> t = new ArrayList<>();
            List<Double> annotated = new ArrayList<>();
            List<Double> predicted = new ArrayList<>();
            double[] ema = null;
            for (int i : idx) {
                ema = TemporalSmoothing.ema(ema, probs[i], 0.3);
                t.add(samples.get(i).timestampMs() / 1000.0);
                annotated.add((double) samples.get(i).dominant());
                predicted.add((double) ClassificationMetrics.argMax(ema));
            }
            String file = "timeline-" + FileNames.safe(e.getKey()) + ".png";
            charts.put("timeline " + e.getKey(), rel(prefix, ReportCharts.timeline(dir.resolve(file),
                    model.modelId() + ": " + e.getKey(), labels, t, annotated, predicted)));
        }
    }

    /** Grad-CAM of the predicted output on the last convolutional feature map, for the same samples as ViTs get. */
    private AttentionReport gradCam(TrainedModel model, List<Sample> samples, Path dir, Map<String, String> charts)
            throws IOException {
        List<Sample> chosen = chooseForMaps(samples);
        float[] batch;
        try (BatchLoader loader = new BatchLoader(chosen, model.spec(), false, 0, baselines(model, samples))) {
            batch = loader.batches(0, chosen.size(), false).next().images();
        }
        TrainedModel.Scores s = model.score(batch, chosen.size(), false);
        int[] targets = new int[chosen.size()];
        int candidates = model.task() == Task.AFFECT ? AffectOutputs.EXPRESSIONS : s.outputs(); // affect: a class
        for (int i = 0; i < targets.length; i++) {
            for (int k = 1; k < candidates; k++) {
                if (s.values()[i * s.outputs() + k] > s.values()[i * s.outputs() + targets[i]]) {
                    targets[i] = k;
                }
            }
        }
        float[][] cams = model.gradCam(batch, chosen.size(), targets);
        int grid = (int) Math.round(Math.sqrt(cams[0].length));
        List<BufferedImage> crops = new ArrayList<>();
        List<List<double[]>> maps = new ArrayList<>();
        for (int i = 0; i < chosen.size(); i++) {
            double[] m = new double[cams[i].length];
            for (int k = 0; k < m.length; k++) {
                m[k] = cams[i][k];
            }
            maps.add(List.of(m));
            crops.add(ImageIO.read(chosen.get(i).crop().toFile()));
        }
        charts.put("grad-cam", rel(dir.getFileName() + "/", ReportCharts.attentionGrid(dir.resolve("grad-cam.png"),
                crops, maps, grid)));
        return new AttentionReport(0, 0, grid, List.of(), "Grad-CAM of the predicted output on the last "
                + grid + "x" + grid + " convolutional feature map; columns: input, map");
    }

    /** One sample per annotated class first, then the next ones, up to the configured number. */
    private List<Sample> chooseForMaps(List<Sample> samples) {
        List<Sample> chosen = new ArrayList<>();
        java.util.Set<Integer> classes = new java.util.HashSet<>();
        for (Sample s : samples) {
            if (chosen.size() < options.attentionSamples() && classes.add(s.dominant())) {
                chosen.add(s);
            }
        }
        for (Sample s : samples) {
            if (chosen.size() < options.attentionSamples() && !chosen.contains(s)) {
                chosen.add(s);
            }
        }
        return chosen;
    }

    private AttentionReport attention(TrainedModel model, List<Sample> samples, Path dir, String prefix,
                                      Map<String, String> charts) throws IOException {
        List<Sample> chosen = chooseForMaps(samples);
        float[] batch;
        try (BatchLoader loader = new BatchLoader(chosen, model.spec(), false, 0, baselines(model, samples))) {
            batch = loader.batches(0, chosen.size(), false).next().images();
        }
        TrainedModel.Scores s = model.score(batch, chosen.size(), true);
        double[][][][][] att = s.attention();
        int blocks = att.length;
        int heads = att[0][0].length;
        int grid = (int) Math.round(Math.sqrt(att[0][0][0].length - 1));
        double[] diversity = new double[blocks];
        List<BufferedImage> crops = new ArrayList<>();
        List<List<double[]>> maps = new ArrayList<>();
        for (int i = 0; i < chosen.size(); i++) {
            double[][][][] perBlock = new double[blocks][][][];
            List<double[]> row = new ArrayList<>();
            for (int b = 0; b < blocks; b++) {
                perBlock[b] = att[b][i];
                diversity[b] += AttentionRollout.headDiversity(att[b][i]) / chosen.size();
            }
            row.add(AttentionRollout.rollout(perBlock));
            for (int b = 0; b < blocks; b++) {
                row.add(AttentionRollout.layerMap(att[b][i]));
            }
            maps.add(row);
            crops.add(ImageIO.read(chosen.get(i).crop().toFile()));
        }
        charts.put("attention", rel(prefix, ReportCharts.attentionGrid(dir.resolve("attention.png"), crops, maps,
                grid)));
        charts.put("head diversity", rel(prefix, ReportCharts.headDiversity(dir.resolve("head-diversity.png"),
                model.modelId() + ": head diversity per block", diversity)));
        List<Double> d = new ArrayList<>();
        for (double v : diversity) {
            d.add(v);
        }
        return new AttentionReport(blocks, heads, grid, d, "columns: input, rollout, then blocks 1.." + blocks
                + " (class-token attention, heads averaged)");
    }

    private static String rel(String prefix, Path file) {
        return prefix + file.getFileName();
    }

    static int[] indicesOf(List<String> groups, String group) {
        return java.util.stream.IntStream.range(0, groups.size()).filter(i -> groups.get(i).equals(group)).toArray();
    }

    static int[] pick(int[] a, int[] idx) {
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = a[idx[i]];
        }
        return out;
    }

    static double[] pick(double[] a, int[] idx) {
        double[] out = new double[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = a[idx[i]];
        }
        return out;
    }

    static double[][] pick(double[][] a, int[] idx) {
        double[][] out = new double[idx.length][];
        for (int i = 0; i < idx.length; i++) {
            out[i] = a[idx[i]];
        }
        return out;
    }

    static boolean[][] pick(boolean[][] a, int[] idx) {
        boolean[][] out = new boolean[idx.length][];
        for (int i = 0; i < idx.length; i++) {
            out[i] = a[idx[i]];
        }
        return out;
    }
}
