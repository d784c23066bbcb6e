package dev.emotion.core.training;

import dev.emotion.core.store.Sample;

import dev.emotion.core.contract.AffectOutputs;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.emotion.core.contract.Architecture;
import dev.emotion.core.contract.Task;
import dev.emotion.core.metrics.ClassificationMetrics;
import dev.emotion.core.metrics.ExpressionMetrics;
import dev.emotion.core.metrics.IdentityProbe;
import dev.emotion.core.metrics.MultilabelMetrics;
import dev.emotion.core.metrics.Probabilities;
import dev.emotion.core.metrics.RegressionMetrics;
import dev.emotion.core.models.EmotionNet;
import dev.emotion.core.models.Backbone;
import dev.emotion.core.models.ModelSpec;
import dev.emotion.core.models.weights.PretrainedWeights;
import dev.emotion.core.models.weights.WeightImport;
import dev.emotion.core.models.weights.WeightImportException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training loop: AdamW, linear warm-up (at most 5 % of the updates) then one cosine annealing to the end of the
 * run ({@code restartEpochs} is the shortest cycle; a run resumed beyond its cycle restarts, twice as long),
 * gradient clipping by global norm, gradient accumulation, class weights, early stopping and checkpoint choice on
 * the validation loss, best and last checkpoints,
 * and resume that continues exactly (parameters, optimizer moments, schedule position, per-epoch seeds). Frozen
 * backbones run once per sample: their features are cached (no augmentation on that path) and later epochs train
 * only the head. CPU training is fp32 (DJL fp16 training NaNs, bf16 aborts the JVM on CPU).
 */
public final class Trainer {

    /** Hyper-parameters; {@link #defaults} gives the spec's batch size and learning rate. */
    public record Config(Architecture architecture, Task task, int epochs, int batchSize, int gradAccum,
                         float learningRate, float weightDecay, float warmupEpochs, int restartEpochs,
                         float clipNorm, int patience, long seed, boolean augment, boolean classWeights,
                         boolean allowRandomInit, Backbone backbone, String weights, String weightsSha256,
                         boolean unfreezeLastBlock, boolean participantBaseline) {

        /** Without participant baseline normalisation. */
        public Config(Architecture architecture, Task task, int epochs, int batchSize, int gradAccum,
                      float learningRate, float weightDecay, float warmupEpochs, int restartEpochs, float clipNorm,
                      int patience, long seed, boolean augment, boolean classWeights, boolean allowRandomInit,
                      Backbone backbone, String weights, String weightsSha256, boolean unfreezeLastBlock) {
            this(architecture, task, epochs, batchSize, gradAccum, learningRate, weightDecay, warmupEpochs,
                    restartEpochs, clipNorm, patience, seed, augment, classWeights, allowRandomInit, backbone, weights,
                    weightsSha256, unfreezeLastBlock, false);
        }

        /**
         * Subtract each participant's mean face (per video, from their frames, labels unused) from every input, in
         * training, evaluation and scoring: the network sees how a face differs from that person's average face.
         */
        public Config withParticipantBaseline(boolean on) {
            return new Config(architecture, task, epochs, batchSize, gradAccum, learningRate, weightDecay,
                    warmupEpochs, restartEpochs, clipNorm, patience, seed, augment, classWeights, allowRandomInit,
                    backbone, weights, weightsSha256, unfreezeLastBlock, on);
        }

        /** vit_pretrained: also train the backbone's last block (no feature cache then: the block runs each step). */
        public Config withUnfreezeLastBlock(boolean unfreeze) {
            return new Config(architecture, task, epochs, batchSize, gradAccum, learningRate, weightDecay,
                    warmupEpochs, restartEpochs, clipNorm, patience, seed, augment, classWeights, allowRandomInit,
                    backbone, weights, weightsSha256, unfreeze, participantBaseline);
        }

        public static Config defaults(Architecture a, Task t) {
            ModelSpec s = ModelSpec.of(a);
            // Baselines for the architectures trained from scratch (measured: docs/training.md); frozen
            // pretrained features keep the faces as they are.
            return new Config(a, t, 10, s.cpuBatch(), 1, s.learningRate(), 0.05f, 1, 5, 1.0f, 4, 42, true, true,
                    false, s.backbone(), null, null, false,
                    a == Architecture.CNN_SIMPLE || a == Architecture.VIT_SCRATCH);
        }

        public ModelSpec spec() {
            return ModelSpec.of(architecture, backbone == null ? Backbone.defaultFor(architecture) : backbone);
        }

        /**
         * Whether training changes the backbone: trained from scratch, or a pretrained one with its last stage
         * unfrozen. Otherwise the backbone's features are fixed: cached once, not augmented, the same in every fold.
         */
        public boolean trainsBackbone() {
            return !spec().pretrainedBackbone() || unfreezeLastBlock;
        }

        /** A pretrained architecture on another backbone, with weights from {@code weights} (null: the default). */
        public Config withBackbone(Backbone b, String weightsLocation, String sha256) {
            return new Config(architecture, task, epochs, batchSize, gradAccum, learningRate, weightDecay,
                    warmupEpochs, restartEpochs, clipNorm, patience, seed, augment, classWeights, allowRandomInit, b,
                    weightsLocation, sha256, unfreezeLastBlock, participantBaseline);
        }

        public Config withEpochs(int e) {
            return new Config(architecture, task, e, batchSize, gradAccum, learningRate, weightDecay, warmupEpochs,
                    restartEpochs, clipNorm, patience, seed, augment, classWeights, allowRandomInit, backbone,
                    weights, weightsSha256, unfreezeLastBlock, participantBaseline);
        }

        public Config withBatch(int batch, int accum) {
            return new Config(architecture, task, epochs, batch, accum, learningRate, weightDecay, warmupEpochs,
                    restartEpochs, clipNorm, patience, seed, augment, classWeights, allowRandomInit, backbone,
                    weights, weightsSha256, unfreezeLastBlock, participantBaseline);
        }

        public Config withSeed(long s) {
            return new Config(architecture, task, epochs, batchSize, gradAccum, learningRate, weightDecay,
                    warmupEpochs, restartEpochs, clipNorm, patience, s, augment, classWeights, allowRandomInit,
                    backbone, weights, weightsSha256, unfreezeLastBlock, participantBaseline);
        }

        public Config withAugment(boolean a) {
            return new Config(architecture, task, epochs, batchSize, gradAccum, learningRate, weightDecay,
                    warmupEpochs, restartEpochs, clipNorm, patience, seed, a, classWeights, allowRandomInit, backbone,
                    weights, weightsSha256, unfreezeLastBlock, participantBaseline);
        }

        public Config withAllowRandomInit(boolean allow) {
            return new Config(architecture, task, epochs, batchSize, gradAccum, learningRate, weightDecay,
                    warmupEpochs, restartEpochs, clipNorm, patience, seed, augment, classWeights, allow, backbone, weights,
                    weightsSha256, unfreezeLastBlock, participantBaseline);
        }

        void check() {
            if (epochs < 1 || batchSize < 1 || gradAccum < 1 || !(learningRate > 0) || weightDecay < 0
                    || clipNorm < 0 || patience < 1) {
                throw new IllegalArgumentException("invalid training config " + this + ": epochs, batch size, "
                        + "accumulation, patience >= 1; learning rate > 0; weight decay, clip norm >= 0");
            }
        }
    }

    /** One finished epoch. */
    public record EpochReport(int epoch, int epochs, long step, double trainLoss, double valLoss,
                              Map<String, Double> valMetrics, double learningRate, double imagesPerSecond) {
    }

    /** A finished run. */
    public record Result(Path bestCheckpoint, Path lastCheckpoint, int bestEpoch, Map<String, Double> bestMetrics,
                         List<EpochReport> history, boolean stoppedEarly, long totalParameters,
                         long trainableParameters, String pretrainedWeights) {
    }

    /** Progress callbacks (the service publishes them; the CLI draws bars). */
    public interface Listener {
        void epoch(EpochReport report);

        default void batch(int epoch, int batch, int batches) {
        }

        /** A one-line note (weights loaded, downloads). */
        default void message(String line) {
        }
    }

    /** Training cannot go on (NaN loss, no data); the message says where the last good checkpoint is. */
    public static class TrainingException extends RuntimeException {
        public TrainingException(String message) {
            super(message);
        }
    }

    private static final String ENGINE = "PyTorch";

    /** How {@link Result#pretrainedWeights()} starts when a pretrained backbone kept its random initialisation. */
    public static final String RANDOM_BACKBONE = "random initialisation";

    public Result train(Config c, List<Sample> train, List<Sample> val, Path dir, boolean resume, Listener listener) {
        c.check();
        ModelSpec spec = c.spec();
        List<Sample> trainSet = usable(train, c.task());
        List<Sample> valSet = usable(val, c.task());
        if (trainSet.isEmpty() || valSet.isEmpty()) {
            throw new TrainingException("no usable samples for " + c.task().id() + ": train " + trainSet.size()
                    + ", val " + valSet.size() + " (ingest labelled participants into both splits)");
        }
        Engine engine = Engine.getEngine(ENGINE);
        try (NDManager root = engine.newBaseManager();
             // A frozen backbone's features are cached once, so it sees no augmentation; fine-tuning its last block
             // runs the backbone every step and augments like the scratch models.
             BatchLoader trainLoader = new BatchLoader(trainSet, spec, c.augment() && c.trainsBackbone(), c.seed(),
                     c.participantBaseline());
             BatchLoader valLoader = new BatchLoader(valSet, spec, false, c.seed(), c.participantBaseline())) {
            Files.createDirectories(dir);
            if (c.participantBaseline()) {
                // The cold-start baseline for scoring a face never seen before: the training faces' mean.
                MeanCrop.of(trainSet).write(dir.resolve(BASELINE_FILE));
            }
            engine.setRandomSeed((int) c.seed());
            EmotionNet net = EmotionNet.build(spec, c.task());
            net.initialize(root, Math.min(2, c.batchSize()));
            String pretrained = spec.pretrainedBackbone() ? loadBackbone(net, c, dir, listener) : null;
            if (c.unfreezeLastBlock()) {
                try {
                    net.unfreezeLastBlock();
                } catch (IllegalArgumentException e) {
                    throw new TrainingException(e.getMessage());
                }
            }
            if (!c.architecture().trained()) {
                // zero training: the imported network is the model; score it on validation like an epoch would
                Evaluation v = evaluate(net, new ParameterStore(root, false), root, valLoader, valSet, c, null);
                saveParameters(net, dir.resolve("best.params"));
                saveParameters(net, dir.resolve("last.params"));
                EpochReport r = new EpochReport(0, 0, 0, 0, v.loss(), v.metrics(), 0, 0);
                listener.epoch(r);
                return new Result(dir.resolve("best.params"), dir.resolve("last.params"), 0, v.metrics(), List.of(r),
                        false, net.parameterCount(false), 0, pretrained);
            }
            boolean resuming = resume && Files.isRegularFile(dir.resolve("last.json"));
            if (resuming) {
                loadParameters(net, root, dir.resolve("last.params"));
            }
            List<NDArray> params = new ArrayList<>();
            for (var p : net.getParameters()) {
                Parameter param = p.getValue();
                if (param.requiresGradient()) {
                    param.getArray().setRequiresGradient(true); // loaded arrays start without gradients
                    params.add(param.getArray());
                }
            }
            AdamW optimizer = new AdamW(root, params, c.weightDecay());
            ParameterStore ps = new ParameterStore(root, false);
            float[] weights = c.classWeights() && (c.task() == Task.EMOTION_CLASS || c.task() == Task.AFFECT)
                    ? classWeights(trainSet.stream().filter(s -> s.dominant() >= 0).toList()) : null;

            float[] trainFeatures = null;
            float[] valFeatures = null;
            if (!c.trainsBackbone()) {
                trainFeatures = features(net, ps, root, trainLoader, c.batchSize());
                valFeatures = features(net, ps, root, valLoader, c.batchSize());
            }

            int batchesPerEpoch = (trainSet.size() + c.batchSize() - 1) / c.batchSize();
            long updatesPerEpoch = (batchesPerEpoch + c.gradAccum() - 1) / c.gradAccum();
            // One cosine over the whole run: a restart inside a run (the old 5-epoch first cycle in a 10-epoch run)
            // threw the rate back up for its last epochs. restartEpochs only sets the shortest cycle.
            long warmup = warmupSteps(c, updatesPerEpoch);
            LearningRate schedule = new LearningRate(c.learningRate(), warmup,
                    Math.max(1, (long) Math.max(c.restartEpochs(), c.epochs()) * updatesPerEpoch - warmup), 2, 0.01f);

            List<EpochReport> history = new ArrayList<>();
            int startEpoch = 1;
            double bestScore = Double.NEGATIVE_INFINITY;
            int bestEpoch = 0;
            int badEpochs = 0;
            Map<String, Double> bestMetrics = Map.of();
            if (resuming) {
                ObjectNode meta = (ObjectNode) dev.emotion.core.contract.Contracts.mapper()
                        .readTree(dir.resolve("last.json").toFile());
                optimizer.restore(root, Files.readAllBytes(dir.resolve("last.optimizer")));
                startEpoch = meta.get("epoch").asInt() + 1;
                bestScore = meta.get("bestScore").asDouble();
                bestEpoch = meta.get("bestEpoch").asInt();
                badEpochs = meta.get("badEpochs").asInt();
                for (var h : meta.get("history")) {
                    history.add(dev.emotion.core.contract.Contracts.mapper().treeToValue(h, EpochReport.class));
                }
                bestMetrics = history.isEmpty() || bestEpoch == 0 ? Map.of() : history.get(bestEpoch - 1).valMetrics();
            }
            boolean stoppedEarly = false;
            int nonFinite = 0;
            int skippedUpdates = 0;
            for (int epoch = startEpoch; epoch <= c.epochs(); epoch++) {
                engine.setRandomSeed((int) (c.seed() * 31 + epoch)); // dropout: same stream on resume
                long t0 = System.nanoTime();
                double lossSum = 0;
                long seen = 0;
                int micro = 0;
                Iterator<BatchLoader.Batch> it = trainLoader.batches(epoch, c.batchSize(), true);
                int batchNo = 0;
                while (it.hasNext()) {
                    BatchLoader.Batch b = it.next();
                    batchNo++;
                    try (NDManager step = root.newSubManager()) {
                        NDArray x = trainFeatures == null ? images(step, b)
                                : rows(step, trainFeatures, b.indices(), trainFeatures.length / trainSet.size());
                        try (GradientCollector gc = engine.newGradientCollector()) {
                            NDArray out = trainFeatures == null ? net.forward(ps, new NDList(x), true).get(0)
                                    : net.head().forward(ps, new NDList(x), true).singletonOrThrow();
                            NDArray loss = loss(step, out, trainSet, b.indices(), c.task(), weights);
                            float value = loss.getFloat();
                            if (!Float.isFinite(value)) {
                                throw new TrainingException("loss became " + value + " in epoch " + epoch + " batch "
                                        + batchNo + "; stopped. Last good checkpoint: " + dir.resolve("last.params")
                                        + " (try a lower learning rate)");
                            }
                            gc.backward(loss.div(c.gradAccum()));
                            lossSum += value * b.count();
                            seen += b.count();
                        }
                    }
                    micro++;
                    if (micro % c.gradAccum() == 0 || !it.hasNext()) {
                        if (clip(params, c.clipNorm())) {
                            optimizer.update(schedule.at(optimizer.step()));
                            nonFinite = 0;
                        } else {
                            // One batch whose gradients overflowed: skip it rather than write Inf/NaN into every
                            // weight; several in a row mean training diverged.
                            String where = firstNonFinite(params);
                            optimizer.zeroGradients(); // parameters and moments stay as they were
                            skippedUpdates++;
                            if (++nonFinite >= MAX_NON_FINITE_UPDATES) {
                                throw new TrainingException("gradients were not finite in " + nonFinite
                                        + " consecutive updates (epoch " + epoch + " batch " + batchNo + "); stopped. "
                                        + "Last good checkpoint: " + dir.resolve("last.params")
                                        + " (try a lower learning rate)");
                            }
                            listener.message("epoch " + epoch + " batch " + batchNo + ": gradients not finite ("
                                    + where + "; loss " + String.format("%.4f", lossSum / Math.max(1, seen))
                                    + " so far this epoch), update skipped (" + skippedUpdates + " so far)");
                        }
                    }
                    listener.batch(epoch, batchNo, batchesPerEpoch);
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                Evaluation eval = evaluate(net, ps, root, valLoader, valSet, c, valFeatures);
                EpochReport report = new EpochReport(epoch, c.epochs(), optimizer.step(), lossSum / seen, eval.loss(),
                        eval.metrics(), schedule.at(Math.max(0, optimizer.step() - 1)), seen / seconds);
                history.add(report);
                double score = -eval.loss(); // checkpoint choice and early stopping on validation loss
                if (score > bestScore) {
                    bestScore = score;
                    bestEpoch = epoch;
                    bestMetrics = eval.metrics();
                    badEpochs = 0;
                    saveParameters(net, dir.resolve("best.params"));
                } else {
                    badEpochs++;
                }
                // Each file is replaced whole (written aside, then renamed), last.json last: a process killed while
                // checkpointing leaves the previous epoch's files, never a torn one (a worker taking the run over
                // resumes from them).
                saveParameters(net, dir.resolve("last.params"));
                writeAtomically(dir.resolve("last.optimizer"), optimizer.state());
                ObjectNode meta = dev.emotion.core.contract.Contracts.mapper().createObjectNode();
                meta.put("epoch", epoch).put("bestScore", bestScore).put("bestEpoch", bestEpoch)
                        .put("badEpochs", badEpochs);
                meta.set("history", dev.emotion.core.contract.Contracts.mapper().valueToTree(history));
                writeAtomically(dir.resolve("last.json"), dev.emotion.core.contract.Contracts.mapper()
                        .writeValueAsBytes(meta));
                listener.epoch(report);
                if (badEpochs >= c.patience()) {
                    stoppedEarly = epoch < c.epochs();
                    break;
                }
            }
            return new Result(dir.resolve("best.params"), dir.resolve("last.params"), bestEpoch, bestMetrics,
                    List.copyOf(history), stoppedEarly, net.parameterCount(false), net.parameterCount(true),
                    pretrained);
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint I/O in " + dir + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Warm-up: {@code warmupEpochs} of updates, but at most {@link #MAX_WARMUP_FRACTION} of the run's planned updates
     * (a short run otherwise spends much of itself warming up), and at least one.
     */
    static long warmupSteps(Config c, long updatesPerEpoch) {
        long planned = (long) c.epochs() * updatesPerEpoch;
        return Math.max(1, Math.min(Math.round(c.warmupEpochs() * updatesPerEpoch),
                Math.round(MAX_WARMUP_FRACTION * planned)));
    }

    static final double MAX_WARMUP_FRACTION = 0.05;

    /** Beside a checkpoint (and in a model directory): the training faces' mean crop, when baselines are on. */
    public static final String BASELINE_FILE = "baseline.png";

    /**
     * Loads the backbone's pretrained weights; without any, refuses (naming where to put them) unless the config
     * knowingly allows random initialisation. Returns what was loaded, for the model's lineage.
     */
    static String loadBackbone(EmotionNet net, Config c, Path dir, Listener listener) {
        Backbone b = net.spec().backbone();
        try {
            PretrainedWeights.Weights weights = PretrainedWeights.open(b, c.weights(), c.weightsSha256(),
                    dir.resolveSibling(".weights-cache"), listener::message);
            WeightImport.Report r = weights.loadInto(net.backbone());
            listener.message("backbone " + b.id() + ": " + r.summary());
            if (!c.architecture().trained()) { // the baseline's classifier comes from the same file
                return r.summary() + "; classifier: loaded " + weights.loadInto(net.head()).loaded() + " tensors";
            }
            return r.summary();
        } catch (PretrainedWeights.Missing e) {
            if (c.allowRandomInit()) {
                listener.message("backbone " + b.id() + " has RANDOM weights (allowRandomInit): " + e.getMessage());
                return RANDOM_BACKBONE + " (no pretrained weights; allowRandomInit)";
            }
            throw new TrainingException(c.architecture().id() + " is a pretrained architecture: " + e.getMessage());
        } catch (WeightImportException e) {
            throw new TrainingException(c.architecture().id() + " backbone " + b.id() + ": " + e.getMessage());
        }
    }

    /**
     * Eval-only: loads a saved checkpoint of {@code architecture}/{@code task} and scores it on {@code samples}
     * (no augmentation), with the same metrics as training reports.
     */
    public Evaluation evaluateCheckpoint(Architecture architecture, Task task, Path params, List<Sample> samples,
                                         int batchSize) {
        return evaluateCheckpoint(ModelSpec.of(architecture), task, params, samples, batchSize);
    }

    public Evaluation evaluateCheckpoint(ModelSpec spec, Task task, Path params, List<Sample> samples,
                                         int batchSize) {
        return evaluateCheckpoint(spec, task, params, samples, batchSize, false);
    }

    /** {@code participantBaseline}: the checkpoint was trained on baseline-subtracted faces (see {@link Config}). */
    public Evaluation evaluateCheckpoint(ModelSpec spec, Task task, Path params, List<Sample> samples,
                                         int batchSize, boolean participantBaseline) {
        return evaluateCheckpoint(spec, task, params, samples, batchSize, participantBaseline
                ? MeanCrop.perVideo(usable(samples, task)) : null);
    }

    /**
     * As above with the baselines given: per {@link BatchLoader#baselineKey}, the crop subtracted (null: none). A
     * still scored as the service scores a photo gets the checkpoint's cold-start baseline ({@link #BASELINE_FILE}).
     */
    public Evaluation evaluateCheckpoint(ModelSpec spec, Task task, Path params, List<Sample> samples,
                                         int batchSize, Map<String, MeanCrop> baselines) {
        return evaluateCheckpoint(spec, task, params, samples, batchSize, baselines == null ? null
                : (java.util.function.Function<Sample, MeanCrop>) s -> baselines.get(BatchLoader.baselineKey(s)));
    }

    /**
     * A checkpoint trained on participant baselines scored as served: each held-out face minus the checkpoint's
     * cold-start baseline ({@link #BASELINE_FILE} beside {@code params}; else its own running mean from the first
     * frame) until warm, then minus the running mean of its frames so far ({@link MeanCrop#causal}).
     */
    public Evaluation evaluateCheckpointCausally(ModelSpec spec, Task task, Path params, List<Sample> samples,
                                                 int batchSize) {
        Path png = params.toAbsolutePath().getParent().resolve(BASELINE_FILE);
        MeanCrop cold = Files.isRegularFile(png) ? MeanCrop.read(png) : null;
        Map<Sample, MeanCrop> causal = MeanCrop.causal(usable(samples, task), cold);
        return evaluateCheckpoint(spec, task, params, samples, batchSize,
                (java.util.function.Function<Sample, MeanCrop>) causal::get);
    }

    /** As above with each sample's baseline given by {@code baselineOf} (null: none). */
    public Evaluation evaluateCheckpoint(ModelSpec spec, Task task, Path params, List<Sample> samples,
                                         int batchSize, java.util.function.Function<Sample, MeanCrop> baselineOf) {
        Architecture architecture = spec.architecture();
        List<Sample> usable = usable(samples, task);
        if (usable.isEmpty()) {
            throw new TrainingException("no usable samples to evaluate " + architecture.id() + "/" + task.id() + " on");
        }
        Config c = Config.defaults(architecture, task).withBatch(batchSize, 1).withBackbone(spec.backbone(), null,
                null);
        Engine engine = Engine.getEngine(ENGINE);
        try (NDManager root = engine.newBaseManager();
             BatchLoader loader = new BatchLoader(usable, spec, false, c.seed(), baselineOf)) {
            EmotionNet net = EmotionNet.build(spec, task);
            net.initialize(root, Math.min(2, batchSize));
            loadParameters(net, root, params);
            return evaluate(net, new ParameterStore(root, false), root, loader, usable, c, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /**
     * The {@link IdentityProbe} on three feature sets of the same frames, so that a model's figure can be read: the
     * checkpoint's penultimate features (the backbone's output, what the head reads), the same architecture with
     * untrained weights (random init, seed 42), and the raw input pixels average-pooled to about the same dimension.
     */
    public record IdentityProbes(IdentityProbe.Result model, IdentityProbe.Result rawPixels,
                                 IdentityProbe.Result randomInit) {
    }

    /** As {@link #identityProbes}, the checkpoint's figure only. */
    public IdentityProbe.Result identityProbe(ModelSpec spec, Task task, Path params, List<Sample> samples,
                                              int perPerson, int batchSize, Map<String, MeanCrop> baselines) {
        return identityProbes(spec, task, params, samples, perPerson, batchSize, baselines).model();
    }

    /**
     * The probes on up to {@code perPerson} frames of each participant of {@code samples} (give the held-out
     * people: a probe on people the model trained on measures memory), evenly spaced in time. {@code baselines}: the
     * participant baselines the checkpoint was trained with (per video; null: none).
     */
    public IdentityProbes identityProbes(ModelSpec spec, Task task, Path params, List<Sample> samples,
                                         int perPerson, int batchSize, Map<String, MeanCrop> baselines) {
        Map<String, List<Sample>> byPerson = new java.util.TreeMap<>();
        samples.forEach(s -> byPerson.computeIfAbsent(s.participantId(), k -> new ArrayList<>()).add(s));
        List<Sample> picked = new ArrayList<>(); // per person, in time order: a frame's index is its time
        for (List<Sample> own : byPerson.values()) {
            List<Sample> sorted = own.stream().sorted(java.util.Comparator.comparing(Sample::videoId)
                    .thenComparingLong(Sample::timestampMs)).toList();
            int take = Math.min(perPerson, sorted.size());
            for (int j = 0; j < take; j++) {
                picked.add(sorted.get((int) ((long) j * sorted.size() / take)));
            }
        }
        float[][] trained = new float[picked.size()][];
        float[][] untrained = new float[picked.size()][];
        float[][] pixels = new float[picked.size()][];
        Engine engine = Engine.getEngine(ENGINE);
        try (NDManager root = engine.newBaseManager();
             BatchLoader loader = new BatchLoader(picked, spec, false, 42, baselines)) {
            EmotionNet net = EmotionNet.build(spec, task);
            net.initialize(root, Math.min(2, batchSize));
            loadParameters(net, root, params);
            engine.setRandomSeed(42);
            EmotionNet fresh = EmotionNet.build(spec, task);
            fresh.initialize(root, Math.min(2, batchSize));
            ParameterStore ps = new ParameterStore(root, false);
            Iterator<BatchLoader.Batch> it = loader.batches(0, batchSize, false);
            while (it.hasNext()) {
                BatchLoader.Batch b = it.next();
                try (NDManager step = root.newSubManager()) {
                    NDArray x = images(step, b);
                    int dim = rows(net.backbone().forward(ps, new NDList(x), false).get(0), b, trained);
                    rows(fresh.backbone().forward(ps, new NDList(x), false).get(0), b, untrained);
                    pooled(b, spec.inputSize(), dim, pixels);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        List<String> who = picked.stream().map(Sample::participantId).toList();
        long[] time = java.util.stream.LongStream.range(0, picked.size()).toArray();
        return new IdentityProbes(IdentityProbe.measure(who, time, trained), IdentityProbe.measure(who, time, pixels),
                IdentityProbe.measure(who, time, untrained));
    }

    /** Each sample's feature row of {@code f} into {@code out} at its index; returns the row length. */
    private static int rows(NDArray f, BatchLoader.Batch b, float[][] out) {
        int dim = (int) (f.size() / b.count());
        float[] flat = f.toFloatArray();
        for (int i = 0; i < b.count(); i++) {
            out[b.indices()[i]] = java.util.Arrays.copyOfRange(flat, i * dim, (i + 1) * dim);
        }
        return dim;
    }

    /** The batch's input images average-pooled to a g x g grid per channel, 3 g^2 close to {@code dim}. */
    static void pooled(BatchLoader.Batch b, int size, int dim, float[][] out) {
        int g = Math.max(1, (int) Math.round(Math.sqrt(dim / 3.0)));
        float[] img = b.images();
        for (int i = 0; i < b.count(); i++) {
            float[] row = new float[3 * g * g];
            int base = i * 3 * size * size;
            for (int c = 0; c < 3; c++) {
                for (int gy = 0; gy < g; gy++) {
                    for (int gx = 0; gx < g; gx++) {
                        double sum = 0;
                        int n = 0;
                        for (int y = gy * size / g; y < (gy + 1) * size / g; y++) {
                            for (int x = gx * size / g; x < (gx + 1) * size / g; x++) {
                                sum += img[base + c * size * size + y * size + x];
                                n++;
                            }
                        }
                        row[(c * g + gy) * g + gx] = n == 0 ? 0 : (float) (sum / n);
                    }
                }
            }
            out[b.indices()[i]] = row;
        }
    }

    /**
     * Samples that have a target for the task: attention regression needs an Attention value, the dominant emotion
     * a dominant label (frames the label policy left ambiguous have none), affect any of its heads' targets.
     */
    public static List<Sample> usable(List<Sample> samples, Task task) {
        return switch (task) {
            case ATTENTION_REGRESSION -> samples.stream().filter(s -> !Float.isNaN(s.attention())).toList();
            case EMOTION_CLASS -> samples.stream().filter(s -> s.dominant() >= 0).toList();
            case EXPRESSION_REGRESSION -> samples.stream().filter(Trainer::hasExpressions).toList();
            case AFFECT -> samples.stream().filter(s -> s.dominant() >= 0 || hasExpressions(s)
                    || !Float.isNaN(s.valence()) || !Float.isNaN(s.engagement()) || !Float.isNaN(s.attention()))
                    .toList();
            default -> samples;
        };
    }

    private static boolean hasExpressions(Sample s) {
        return s.expressions() != null && !s.expressions().isEmpty();
    }

    /**
     * Square root of the inverse class frequency, normalised over the classes present (absent classes get 1): full
     * inverse frequency lets a handful of rare frames dominate the loss and the model predicts the rare class.
     */
    static float[] classWeights(List<Sample> samples) {
        int classes = EmotionNet.outputs(Task.EMOTION_CLASS);
        long[] counts = new long[classes];
        samples.forEach(s -> counts[s.dominant()]++);
        int present = 0;
        for (long n : counts) {
            present += n > 0 ? 1 : 0;
        }
        float[] w = new float[classes];
        for (int k = 0; k < classes; k++) {
            w[k] = counts[k] == 0 ? 1f : (float) Math.sqrt((double) samples.size() / (present * counts[k]));
        }
        return w;
    }

    private static NDArray images(NDManager m, BatchLoader.Batch b) {
        return m.create(FloatBuffer.wrap(b.images()), new Shape(b.count(), 3, b.size(), b.size()));
    }

    private static NDArray rows(NDManager m, float[] features, int[] indices, int dim) {
        float[] out = new float[indices.length * dim];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(features, indices[i] * dim, out, i * dim, dim);
        }
        return m.create(FloatBuffer.wrap(out), new Shape(indices.length, dim));
    }

    static NDArray loss(NDManager m, NDArray out, List<Sample> samples, int[] idx, Task task, float[] weights) {
        int n = idx.length;
        switch (task) {
            case EMOTION_CLASS -> {
                int classes = (int) out.getShape().get(1);
                float[] oneHot = new float[n * classes];
                float[] w = new float[n];
                for (int i = 0; i < n; i++) {
                    int y = samples.get(idx[i]).dominant();
                    oneHot[i * classes + y] = 1;
                    w[i] = weights == null ? 1 : weights[y];
                }
                NDArray y = m.create(FloatBuffer.wrap(oneHot), new Shape(n, classes));
                NDArray nll = out.logSoftmax(1).mul(y).sum(new int[] {1}).neg();
                NDArray wt = m.create(w);
                return nll.mul(wt).sum().div(wt.sum());
            }
            case EMOTION_MULTILABEL -> {
                float[] t = new float[n * 7];
                for (int i = 0; i < n; i++) {
                    float[] e = samples.get(idx[i]).emotions();
                    for (int k = 0; k < 7; k++) {
                        t[i * 7 + k] = e[k] >= 0.5f ? 1 : 0;
                    }
                }
                NDArray y = m.create(FloatBuffer.wrap(t), new Shape(n, 7));
                // Binary cross-entropy on logits, the numerically stable form.
                return out.maximum(0).sub(out.mul(y)).add(out.abs().neg().exp().add(1).log()).mean();
            }
            case ATTENTION_REGRESSION -> {
                float[] t = new float[n];
                for (int i = 0; i < n; i++) {
                    t[i] = samples.get(idx[i]).attention();
                }
                NDArray d = ai.djl.nn.Activation.sigmoid(out.reshape(n)).sub(m.create(t));
                return d.square().mean();
            }
            case EXPRESSION_REGRESSION -> {
                // squared error on the expressions each frame annotates; the others are masked out
                float[][] tm = expressionTargets(samples, idx);
                return maskedSquaredError(m, ai.djl.nn.Activation.sigmoid(out), tm[0], tm[1], n);
            }
            case AFFECT -> {
                return affectLoss(m, out, samples, idx, weights);
            }
            default -> throw new IllegalArgumentException(task.toString());
        }
    }

    /**
     * Weights of the {@code affect} heads' losses in their sum: cross-entropy of the dominant emotion, and squared
     * errors of expressions (0..1), valence (-1..1), engagement and attention (0..1). The squared errors are an order
     * of magnitude smaller than the cross-entropy at the same relative error, hence the larger weights.
     */
    public static final float[] AFFECT_LOSS_WEIGHTS = {1f, 4f, 2f, 2f, 2f};

    /**
     * The {@code affect} loss: each head's loss over the frames of the batch that have its target (a frame without a
     * dominant label, or without valence, contributes nothing to that head, and its other targets still train),
     * weighted by {@link #AFFECT_LOSS_WEIGHTS}; a head with no target in the batch adds zero.
     */
    static NDArray affectLoss(NDManager m, NDArray out, List<Sample> samples, int[] idx, float[] classWeights) {
        int n = idx.length;
        int classes = AffectOutputs.EXPRESSIONS;
        float[] oneHot = new float[n * classes];
        float[] w = new float[n];
        float[] valence = new float[n];
        float[] valenceMask = new float[n];
        float[] other = new float[n * 2];
        float[] otherMask = new float[n * 2];
        for (int i = 0; i < n; i++) {
            Sample s = samples.get(idx[i]);
            if (s.dominant() >= 0) {
                oneHot[i * classes + s.dominant()] = 1;
                w[i] = classWeights == null ? 1 : classWeights[s.dominant()];
            }
            if (!Float.isNaN(s.valence())) {
                valence[i] = s.valence();
                valenceMask[i] = 1;
            }
            float[] o = {s.engagement(), s.attention()};
            for (int k = 0; k < 2; k++) {
                if (!Float.isNaN(o[k])) {
                    other[i * 2 + k] = o[k];
                    otherMask[i * 2 + k] = 1;
                }
            }
        }
        NDArray logits = out.get(":, {}:{}", AffectOutputs.CLASSES, AffectOutputs.EXPRESSIONS);
        NDArray nll = logits.logSoftmax(1).mul(m.create(FloatBuffer.wrap(oneHot), new Shape(n, classes)))
                .sum(new int[] {1}).neg();
        NDArray wt = m.create(w);
        NDArray loss = nll.mul(wt).sum().div(wt.sum().maximum(1e-6f)).mul(AFFECT_LOSS_WEIGHTS[0]);
        float[][] tm = expressionTargets(samples, idx);
        loss = loss.add(maskedSquaredError(m, ai.djl.nn.Activation.sigmoid(out.get(":, {}:{}",
                AffectOutputs.EXPRESSIONS, AffectOutputs.VALENCE)), tm[0], tm[1], n)
                .mul(AFFECT_LOSS_WEIGHTS[1]));
        loss = loss.add(maskedSquaredError(m, out.get(":, {}:{}", AffectOutputs.VALENCE,
                AffectOutputs.ENGAGEMENT).tanh(), valence, valenceMask, n).mul(AFFECT_LOSS_WEIGHTS[2]));
        NDArray rest = ai.djl.nn.Activation.sigmoid(out.get(":, {}:{}", AffectOutputs.ENGAGEMENT,
                AffectOutputs.OUTPUTS));
        for (int k = 0; k < 2; k++) {
            float[] t = new float[n];
            float[] mask = new float[n];
            for (int i = 0; i < n; i++) {
                t[i] = other[i * 2 + k];
                mask[i] = otherMask[i * 2 + k];
            }
            loss = loss.add(maskedSquaredError(m, rest.get(":, " + k), t, mask, n)
                    .mul(AFFECT_LOSS_WEIGHTS[3 + k]));
        }
        return loss;
    }

    /** Targets and mask (n x expressions, row-major) of the frames {@code idx}: 0 and mask 0 where not annotated. */
    private static float[][] expressionTargets(List<Sample> samples, int[] idx) {
        List<String> names = EmotionNet.labels(Task.EXPRESSION_REGRESSION);
        int e = names.size();
        float[] t = new float[idx.length * e];
        float[] mask = new float[idx.length * e];
        for (int i = 0; i < idx.length; i++) {
            Map<String, Double> x = samples.get(idx[i]).expressions();
            for (int k = 0; k < e; k++) {
                Double v = x == null ? null : x.get(names.get(k));
                if (v != null) {
                    t[i * e + k] = v.floatValue();
                    mask[i * e + k] = 1;
                }
            }
        }
        return new float[][] {t, mask};
    }

    /** Mean squared error over the entries whose mask is 1 (zero when none is). */
    private static NDArray maskedSquaredError(NDManager m, NDArray predicted, float[] target, float[] mask, int n) {
        Shape shape = new Shape(n, target.length / n);
        NDArray w = m.create(FloatBuffer.wrap(mask), shape);
        NDArray d = predicted.reshape(shape).sub(m.create(FloatBuffer.wrap(target), shape));
        return d.square().mul(w).sum().div(w.sum().maximum(1f));
    }

    /** Updates skipped in a row for gradients that are not finite before the run is stopped as diverged. */
    static final int MAX_NON_FINITE_UPDATES = 3;

    /**
     * Scales the gradients to a global norm of at most {@code maxNorm} (no limit when 0); false when their norm is
     * not finite (an Inf or NaN anywhere), in which case they are left as they are for the caller to skip.
     */
    static boolean clip(List<NDArray> params, float maxNorm) {
        double total = 0;
        for (NDArray p : params) {
            try (NDArray g = p.getGradient(); NDArray sq = g.square(); NDArray sum = sq.sum()) {
                total += sum.getFloat();
            }
        }
        double norm = Math.sqrt(total);
        if (!Double.isFinite(norm)) {
            // squares of float32 overflow from |g| ~ 1.8e19: such a gradient is finite and only needs clipping
            norm = scaledNorm(params);
            if (!Double.isFinite(norm)) {
                return false;
            }
        }
        if (maxNorm > 0 && norm > maxNorm) {
            float scale = (float) (maxNorm / (norm + 1e-6));
            for (NDArray p : params) {
                try (NDArray g = p.getGradient()) {
                    g.muli(scale);
                }
            }
        }
        return true;
    }

    /** Which gradient holds Inf or NaN first (parameter index, name and shape), for the log. */
    static String firstNonFinite(List<NDArray> params) {
        for (int i = 0; i < params.size(); i++) {
            try (NDArray g = params.get(i).getGradient(); NDArray abs = g.abs(); NDArray max = abs.max()) {
                float amax = max.getFloat();
                if (!Float.isFinite(amax)) {
                    return "first in parameter " + i + " " + params.get(i).getName() + " " + g.getShape() + ": "
                            + amax;
                }
            }
        }
        return "none left in the buffers";
    }

    /**
     * The global L2 norm with each gradient divided by its largest magnitude before squaring (no float32 overflow);
     * NaN when a gradient holds Inf or NaN. Only for the rare step whose plain sum of squares overflowed.
     */
    static double scaledNorm(List<NDArray> params) {
        double total = 0;
        for (NDArray p : params) {
            try (NDArray g = p.getGradient(); NDArray abs = g.abs(); NDArray max = abs.max()) {
                double amax = max.getFloat();
                if (!Double.isFinite(amax)) {
                    return Double.NaN;
                }
                if (amax == 0) {
                    continue;
                }
                try (NDArray scaled = g.div((float) amax); NDArray sq = scaled.square(); NDArray sum = sq.sum()) {
                    total += sum.getFloat() * amax * amax;
                }
            }
        }
        return Math.sqrt(total);
    }

    /** Backbone features of every sample (no augmentation), computed once: (N x dim) row-major. */
    private static float[] features(EmotionNet net, ParameterStore ps, NDManager root, BatchLoader loader,
                                    int batch) {
        List<float[]> parts = new ArrayList<>();
        int total = 0;
        Iterator<BatchLoader.Batch> it = loader.batches(0, batch, false);
        while (it.hasNext()) {
            BatchLoader.Batch b = it.next();
            try (NDManager step = root.newSubManager()) {
                float[] f = net.backbone().forward(ps, new NDList(images(step, b)), false).get(0).toFloatArray();
                parts.add(f);
                total += f.length;
            }
        }
        float[] all = new float[total];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    /**
     * Validation loss and metrics; {@code scores}: the head's raw outputs, samples x outputs row-major, in the order of
     * the usable samples evaluated (empty where not kept).
     */
    public record Evaluation(double loss, Map<String, Double> metrics, float[] scores) {
        public Evaluation(double loss, Map<String, Double> metrics) {
            this(loss, metrics, new float[0]);
        }
    }

    static Evaluation evaluate(EmotionNet net, ParameterStore ps, NDManager root, BatchLoader loader,
                               List<Sample> samples, Config c, float[] cachedFeatures) {
        int n = samples.size();
        int classes = EmotionNet.outputs(c.task());
        float[] scores = new float[n * classes];
        double lossSum = 0;
        Iterator<BatchLoader.Batch> it = loader.batches(0, c.batchSize(), false);
        while (it.hasNext()) {
            BatchLoader.Batch b = it.next();
            try (NDManager step = root.newSubManager()) {
                NDArray out = cachedFeatures == null ? net.forward(ps, new NDList(images(step, b)), false).get(0)
                        : net.head().forward(ps, new NDList(rows(step, cachedFeatures, b.indices(),
                        cachedFeatures.length / n)), false).singletonOrThrow();
                lossSum += loss(step, out, samples, b.indices(), c.task(), null).getFloat() * b.count();
                float[] o = out.toFloatArray();
                for (int i = 0; i < b.count(); i++) {
                    System.arraycopy(o, i * classes, scores, b.indices()[i] * classes, classes);
                }
            }
        }
        return new Evaluation(lossSum / n, metrics(c.task(), scores, samples), scores);
    }

    /**
     * Validation metrics from raw head outputs (logits), n x outputs row-major, in sample order: the evaluation
     * package's definitions, the headline ones only, plus {@code score} (higher is better; reported, while early
     * stopping uses the validation loss): macro-F1 for the dominant emotion, micro-F1 for multilabel, minus MAE.
     */
    public static Map<String, Double> metrics(Task task, float[] scores, List<Sample> samples) {
        int n = samples.size();
        double[][] logits = Probabilities.rows(scores, n);
        Map<String, Double> all;
        List<String> keep;
        String score;
        switch (task) {
            case EMOTION_CLASS -> {
                all = ClassificationMetrics.of(samples.stream().mapToInt(Sample::dominant).toArray(),
                        Probabilities.softmax(logits, 1), EmotionNet.labels(task)).headline();
                keep = List.of("accuracy", "macro_f1", "balanced_accuracy");
                score = "macro_f1";
            }
            case EMOTION_MULTILABEL -> {
                boolean[][] truth = new boolean[n][7];
                for (int i = 0; i < n; i++) {
                    for (int k = 0; k < 7; k++) {
                        truth[i][k] = samples.get(i).emotions()[k] >= 0.5f;
                    }
                }
                all = MultilabelMetrics.of(truth, Probabilities.sigmoid(logits), EmotionNet.labels(task)).headline();
                keep = List.of("micro_f1", "macro_f1", "hamming_loss");
                score = "micro_f1";
            }
            case EXPRESSION_REGRESSION -> {
                all = ExpressionMetrics.of(Probabilities.sigmoid(logits), expressionTargets(samples),
                        EmotionNet.labels(task)).headline();
                all.put("neg_mae", -all.get("mae"));
                keep = List.of("mae", "pearson", "ccc");
                score = "neg_mae";
            }
            case AFFECT -> {
                all = new LinkedHashMap<>(dev.emotion.core.metrics.AffectMetrics.of(Probabilities.of(task, logits),
                        affectTargets(samples)));
                keep = List.of("accuracy", "macro_f1", "balanced_accuracy", "expressions_mae", "expressions_ccc",
                        "valence_mae", "valence_ccc", "engagement_mae", "attention_mae");
                score = all.containsKey("macro_f1") ? "macro_f1" : "expressions_ccc";
            }
            default -> {
                double[] pred = new double[n];
                double[][] p = Probabilities.sigmoid(logits);
                for (int i = 0; i < n; i++) {
                    pred[i] = p[i][0];
                }
                all = RegressionMetrics.of(pred, samples.stream().mapToDouble(Sample::attention).toArray())
                        .headline();
                all.put("neg_mae", -all.get("mae"));
                keep = List.of("mae", "rmse", "pearson");
                score = "neg_mae";
            }
        }
        Map<String, Double> m = new LinkedHashMap<>();
        keep.stream().filter(all::containsKey).forEach(k -> m.put(k, all.get(k)));
        m.put("score", all.getOrDefault(score, Double.NaN));
        return m;
    }

    /** Every target of the {@code affect} heads, per sample (NaN or -1 where the frame has none). */
    public static dev.emotion.core.metrics.AffectMetrics.Targets affectTargets(List<Sample> samples) {
        double[][] dims = new double[samples.size()][];
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            dims[i] = new double[] {s.valence(), s.engagement(), s.attention()};
        }
        return new dev.emotion.core.metrics.AffectMetrics.Targets(samples.stream().mapToInt(Sample::dominant)
                .toArray(), expressionTargets(samples), dims);
    }

    /** Each sample's AFFDEX expression intensities in {@link EmotionNet#labels} order, NaN where not annotated. */
    public static double[][] expressionTargets(List<Sample> samples) {
        List<String> names = EmotionNet.labels(Task.EXPRESSION_REGRESSION);
        double[][] t = new double[samples.size()][names.size()];
        for (int i = 0; i < samples.size(); i++) {
            Map<String, Double> x = samples.get(i).expressions();
            for (int k = 0; k < names.size(); k++) {
                Double v = x == null ? null : x.get(names.get(k));
                t[i][k] = v == null ? Double.NaN : v;
            }
        }
        return t;
    }

    private static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    static void saveParameters(EmotionNet net, Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream os = new DataOutputStream(Files.newOutputStream(tmp))) {
            net.saveParameters(os);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    public static void loadParameters(EmotionNet net, NDManager manager, Path file) throws IOException {
        try (DataInputStream is = new DataInputStream(Files.newInputStream(file))) {
            net.loadParameters(manager, is);
        } catch (ai.djl.MalformedModelException e) {
            throw new IOException(file + " does not hold parameters of this architecture: " + e.getMessage(), e);
        }
    }
}
