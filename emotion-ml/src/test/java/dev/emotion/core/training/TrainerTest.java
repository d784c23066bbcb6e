package dev.emotion.core.training;

import dev.emotion.core.store.SampleStore;

import dev.emotion.core.store.Sample;

import dev.emotion.core.contract.AffectOutputs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.emotion.core.contract.Architecture;
import dev.emotion.core.contract.Split;
import dev.emotion.core.contract.Task;
import dev.emotion.core.models.EmotionNet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {

    @TempDir
    static Path dir;
    static SampleStore store;
    static List<Sample> train;
    static List<Sample> val;
    static List<Sample> test;

    @BeforeAll
    static void data() throws IOException {
        store = TrainingFixtures.study(dir, 5, 40, 6);
        train = store.samples("fixture", Split.TRAIN, null);
        val = store.samples("fixture", Split.VAL, null);
        test = store.samples("fixture", Split.TEST, null);
        System.out.printf("fixture: %d train, %d val, %d test samples%n", train.size(), val.size(), test.size());
    }

    /** A held-out face's causal baselines: the cold-start one for its first frames, then its own mean so far. */
    @Test
    void causalBaselinesAreColdUntilWarmThenTheRunningMeanOfThePast() {
        MeanCrop cold = MeanCrop.of(train);
        java.util.Map<Sample, MeanCrop> causal = MeanCrop.causal(test, cold);
        List<Sample> ordered = test.stream().sorted(java.util.Comparator.comparingLong(Sample::timestampMs)).toList();
        assertTrue(ordered.size() > MeanCrop.WARM_FRAMES, "a long enough video: " + ordered.size());
        for (int i = 0; i < ordered.size(); i++) {
            MeanCrop b = causal.get(ordered.get(i));
            if (i + 1 < MeanCrop.WARM_FRAMES) {
                assertTrue(b == cold, "frame " + (i + 1) + " gets the cold-start baseline");
            } else {
                assertEquals(i + 1, b.count(), "frame " + (i + 1) + ": the mean of the frames so far, itself included");
            }
        }
        MeanCrop last = causal.get(ordered.get(ordered.size() - 1));
        assertTrue(java.util.Arrays.equals(last.bytes(), MeanCrop.of(ordered).bytes()),
                "the last frame's baseline is the whole video's mean");
        assertThrows(IllegalStateException.class, () -> last.add(new org.bytedeco.opencv.opencv_core.Mat(4, 4,
                org.bytedeco.opencv.global.opencv_core.CV_8UC3)), "a snapshot is read-only");
    }

    /**
     * Judged on the test participant, whom neither training nor checkpoint choice (the validation participant) ever
     * saw, for two seeds, with a margin: macro-F1 at least twice chance (1 / the classes annotated there).
     */
    @Test
    void aSmallRealRunBeatsChanceTwiceOverOnAParticipantNeverUsedForSelection() {
        double chance = 1.0 / Trainer.usable(test, Task.EMOTION_CLASS).stream().mapToInt(Sample::dominant)
                .distinct().count();
        for (long seed : new long[] {42, 7}) {
            Trainer.Config c = Trainer.Config.defaults(Architecture.CNN_SIMPLE, Task.EMOTION_CLASS).withEpochs(8)
                    .withSeed(seed);
            List<Trainer.EpochReport> seen = new ArrayList<>();
            Trainer.Result r = new Trainer().train(c, train, val, dir.resolve("run-cnn-" + seed), false, seen::add);
            r.history().forEach(h -> System.out.printf("seed %d epoch %d loss %.3f val %.3f %s lr %.5f %.0f img/s%n",
                    seed, h.epoch(), h.trainLoss(), h.valLoss(), h.valMetrics(), h.learningRate(),
                    h.imagesPerSecond()));
            assertEquals(r.history(), seen, "the listener saw every epoch");
            assertTrue(Files.isRegularFile(r.bestCheckpoint()) && Files.isRegularFile(r.lastCheckpoint()));
            assertTrue(r.history().get(r.history().size() - 1).trainLoss() < r.history().get(0).trainLoss(),
                    "training loss falls");
            Trainer.Evaluation onTest = new Trainer().evaluateCheckpoint(c.spec(), c.task(), r.bestCheckpoint(),
                    test, c.batchSize(), c.participantBaseline());
            double f1 = onTest.metrics().get("macro_f1");
            System.out.printf("seed %d: test participant macro-F1 %.3f, balanced accuracy %.3f (chance %.3f)%n", seed,
                    f1, onTest.metrics().get("balanced_accuracy"), chance);
            assertTrue(f1 >= 2 * chance, "seed " + seed + ": macro-F1 " + f1 + " on the unseen test participant vs "
                    + "twice chance " + 2 * chance);
        }
    }

    /**
     * The control: labels that say only who someone is (every frame of a participant gets that participant's own
     * class) cannot be learned as emotions, so on the unseen test participant the model falls back to chance.
     */
    @Test
    void identityOnlyLabelsFallBackToChanceOnAnUnseenParticipant() {
        List<String> people = java.util.stream.Stream.concat(train.stream(), val.stream())
                .map(Sample::participantId).distinct().sorted().toList();
        java.util.function.Function<Sample, Sample> byPerson = s -> s.withDominant(people.indexOf(s.participantId())
                + 1);
        Trainer.Config c = Trainer.Config.defaults(Architecture.CNN_SIMPLE, Task.EMOTION_CLASS).withEpochs(4);
        Trainer.Result r = new Trainer().train(c, Trainer.usable(train, Task.EMOTION_CLASS).stream().map(byPerson)
                .toList(), Trainer.usable(val, Task.EMOTION_CLASS).stream().map(byPerson).toList(),
                dir.resolve("run-identity"), false, e -> { });
        Trainer.Evaluation onTest = new Trainer().evaluateCheckpoint(c.spec(), c.task(), r.bestCheckpoint(), test,
                c.batchSize(), c.participantBaseline());
        double chance = 1.0 / Trainer.usable(test, Task.EMOTION_CLASS).stream().mapToInt(Sample::dominant)
                .distinct().count();
        System.out.printf("identity-only labels: test macro-F1 %.3f (chance %.3f)%n",
                onTest.metrics().get("macro_f1"), chance);
        assertTrue(onTest.metrics().get("macro_f1") < 2 * chance, "identity labels must not look like emotions: "
                + onTest.metrics());
    }

    /**
     * AFFDEX's facial expressions (action units) are learned from the faces: on the test participant, whom neither
     * training nor checkpoint choice saw, the model's intensities are closer than the best constant guess (each
     * expression's training mean) and follow the annotated ones over time.
     */
    @Test
    void expressionIntensitiesAreLearnedForAParticipantNeverSeen() {
        Task task = Task.EXPRESSION_REGRESSION;
        List<Sample> onTestFrames = Trainer.usable(test, task);
        Trainer.Config c = Trainer.Config.defaults(Architecture.CNN_SIMPLE, task).withEpochs(6);
        Trainer.Result r = new Trainer().train(c, Trainer.usable(train, task), Trainer.usable(val, task),
                dir.resolve("run-expressions"), false, e -> { });
        r.history().forEach(h -> System.out.printf("expressions epoch %d loss %.4f val %.4f %s%n", h.epoch(),
                h.trainLoss(), h.valLoss(), h.valMetrics()));
        Trainer.Evaluation onTest = new Trainer().evaluateCheckpoint(c.spec(), task, r.bestCheckpoint(),
                onTestFrames, c.batchSize(), c.participantBaseline());
        double[][] truth = Trainer.expressionTargets(onTestFrames);
        double[][] seen = Trainer.expressionTargets(Trainer.usable(train, task));
        double[] means = new double[truth[0].length];
        for (int k = 0; k < means.length; k++) {
            int finalK = k;
            means[k] = java.util.Arrays.stream(seen).mapToDouble(row -> row[finalK]).filter(v -> !Double.isNaN(v))
                    .average().orElse(0);
        }
        double[][] constant = new double[truth.length][];
        java.util.Arrays.fill(constant, means);
        double constantMae = dev.emotion.core.metrics.ExpressionMetrics.of(constant, truth,
                EmotionNet.labels(task)).headline().get("mae");
        System.out.printf("expressions on the test participant: %s; constant guess MAE %.4f%n", onTest.metrics(),
                constantMae);
        assertTrue(onTest.metrics().get("mae") < 0.9 * constantMae, "MAE " + onTest.metrics().get("mae")
                + " vs the training means' " + constantMae);
        assertTrue(onTest.metrics().get("pearson") >= 0.3, "mean r over the expressions " + onTest.metrics());
    }

    /**
     * The multi-task affect model: one backbone, every head learned at once, each judged on the test participant
     * (never used for training or checkpoint choice) against a floor: the dominant emotion at twice chance, the
     * expressions and valence closer than the best constant guess (the training mean).
     */
    @Test
    void theAffectModelLearnsEveryHeadForAParticipantNeverSeen() {
        Task task = Task.AFFECT;
        Trainer.Config c = Trainer.Config.defaults(Architecture.CNN_SIMPLE, task).withEpochs(6);
        Trainer.Result r = new Trainer().train(c, Trainer.usable(train, task), Trainer.usable(val, task),
                dir.resolve("run-affect"), false, e -> { });
        r.history().forEach(h -> System.out.printf("affect epoch %d loss %.4f val %.4f %s%n", h.epoch(),
                h.trainLoss(), h.valLoss(), h.valMetrics()));
        List<Sample> onTest = Trainer.usable(test, task);
        Trainer.Evaluation e = new Trainer().evaluateCheckpoint(c.spec(), task, r.bestCheckpoint(), onTest,
                c.batchSize(), c.participantBaseline());
        List<Sample> seen = Trainer.usable(train, task);
        double chance = 1.0 / onTest.stream().mapToInt(Sample::dominant).filter(d -> d >= 0).distinct().count();
        double meanValence = seen.stream().mapToDouble(Sample::valence).filter(v -> !Double.isNaN(v)).average()
                .orElseThrow();
        double constantValence = onTest.stream().mapToDouble(Sample::valence).filter(v -> !Double.isNaN(v))
                .map(v -> Math.abs(v - meanValence)).average().orElseThrow();
        double[][] truth = Trainer.expressionTargets(onTest);
        double[][] seenX = Trainer.expressionTargets(seen);
        double[] means = new double[truth[0].length];
        for (int k = 0; k < means.length; k++) {
            int finalK = k;
            means[k] = java.util.Arrays.stream(seenX).mapToDouble(row -> row[finalK]).filter(v -> !Double.isNaN(v))
                    .average().orElse(0);
        }
        double[][] constant = new double[truth.length][];
        java.util.Arrays.fill(constant, means);
        double constantExpressions = dev.emotion.core.metrics.ExpressionMetrics.of(constant, truth,
                EmotionNet.labels(Task.EXPRESSION_REGRESSION)).headline().get("mae");
        System.out.printf("affect on the test participant: %s; chance %.3f, constant valence MAE %.4f, constant "
                + "expressions MAE %.4f%n", e.metrics(), chance, constantValence, constantExpressions);
        assertTrue(e.metrics().get("macro_f1") >= 2 * chance, "dominant head " + e.metrics());
        assertTrue(e.metrics().get("expressions_mae") < 0.9 * constantExpressions, "expression head " + e.metrics());
        assertTrue(e.metrics().get("valence_mae") < 0.9 * constantValence, "valence head " + e.metrics());
    }

    /** A frame without a target for one head trains the other heads and leaves that head's outputs untouched. */
    @Test
    void aFrameWithoutOneTargetSkipsOnlyThatHeadOfTheAffectLoss() {
        Sample classOnly = new Sample("a", "j", "p", Split.TRAIN, null, 3, new float[7], Float.NaN, "v", 0, null,
                Float.NaN, Float.NaN);
        Sample valenceOnly = new Sample("b", "j", "p", Split.TRAIN, null, -1, new float[7], 0.7f, "v", 0, null,
                0.4f, Float.NaN);
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            NDArray out = m.randomNormal(new Shape(2, AffectOutputs.OUTPUTS));
            out.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                gc.backward(Trainer.affectLoss(m, out, List.of(classOnly, valenceOnly), new int[] {0, 1}, null));
            }
            float[] g = out.getGradient().toFloatArray();
            int k = AffectOutputs.OUTPUTS;
            java.util.function.BiFunction<Integer, int[], Double> norm = (row, cols) -> {
                double sum = 0;
                for (int col = cols[0]; col < cols[1]; col++) {
                    sum += Math.abs(g[row * k + col]);
                }
                return sum;
            };
            int[] classes = {AffectOutputs.CLASSES, AffectOutputs.EXPRESSIONS};
            int[] expressions = {AffectOutputs.EXPRESSIONS, AffectOutputs.VALENCE};
            int[] valence = {AffectOutputs.VALENCE, AffectOutputs.ENGAGEMENT};
            int[] engagement = {AffectOutputs.ENGAGEMENT, AffectOutputs.ATTENTION};
            int[] attention = {AffectOutputs.ATTENTION, AffectOutputs.OUTPUTS};
            assertTrue(norm.apply(0, classes) > 0, "the labelled frame trains the class head");
            assertEquals(0.0, norm.apply(1, classes), "no dominant label: no class gradient");
            assertEquals(0.0, norm.apply(0, valence), "no valence: no valence gradient");
            assertTrue(norm.apply(1, valence) > 0);
            assertTrue(norm.apply(1, attention) > 0);
            assertEquals(0.0, norm.apply(0, attention));
            assertEquals(0.0, norm.apply(0, expressions) + norm.apply(1, expressions), "no expressions annotated");
            assertEquals(0.0, norm.apply(0, engagement) + norm.apply(1, engagement), "no engagement annotated");
        }
    }

    @Test
    void resumingFromTheLastCheckpointGivesTheSameRunAsAnUninterruptedOne() throws IOException {
        List<Sample> small = train.subList(0, Math.min(96, train.size()));
        List<Sample> smallVal = val.subList(0, Math.min(48, val.size()));
        Trainer.Config c = Trainer.Config.defaults(Architecture.CNN_SIMPLE, Task.EMOTION_MULTILABEL).withEpochs(3)
                .withBatch(16, 1);
        Trainer.Result straight = new Trainer().train(c, small, smallVal, dir.resolve("straight"), false, e -> { });
        // Interrupted after epoch 2 (the process dies once that epoch's checkpoint is written), then resumed.
        assertThrows(IllegalStateException.class, () -> new Trainer().train(c, small, smallVal,
                dir.resolve("resumed"), false, e -> {
                    if (e.epoch() == 2) {
                        throw new IllegalStateException("killed");
                    }
                }));
        Trainer.Result resumed = new Trainer().train(c, small, smallVal, dir.resolve("resumed"), true, e -> { });
        assertEquals(3, resumed.history().size());
        for (int i = 0; i < 3; i++) {
            assertEquals(straight.history().get(i).trainLoss(), resumed.history().get(i).trainLoss(), 1e-5);
            assertEquals(straight.history().get(i).valLoss(), resumed.history().get(i).valLoss(), 1e-5);
        }
        assertArrayEquals(Files.readAllBytes(straight.lastCheckpoint()), Files.readAllBytes(resumed.lastCheckpoint()),
                "identical parameters");

        // Eval-only on the last checkpoint reproduces the last epoch's validation numbers.
        Trainer.Evaluation again = new Trainer().evaluateCheckpoint(c.spec(), Task.EMOTION_MULTILABEL,
                straight.lastCheckpoint(), smallVal, 16, c.participantBaseline());
        assertEquals(straight.history().get(2).valLoss(), again.loss(), 1e-5);
        assertEquals(straight.history().get(2).valMetrics(), again.metrics());
    }

    @Test
    void accumulatingTwoHalfBatchesGivesTheFullBatchGradient() {
        // Drop-path off: its random masks would differ between the whole batch and the halves.
        System.setProperty(EmotionNet.DROP_PATH_PROPERTY, "0");
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            EmotionNet net = EmotionNet.build(Architecture.VIT_SCRATCH, Task.EMOTION_CLASS); // no batch statistics
            net.initialize(m, 2);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.randomUniform(-1, 1, new Shape(8, 3, 112, 112));
            List<Sample> fake = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                fake.add(new Sample("s" + i, "j", "p", Split.TRAIN, null, i % 8, new float[7], 0.5f, "v", i, null));
            }
            int[] all = {0, 1, 2, 3, 4, 5, 6, 7};
            zero(net); // from zero, like the halves below (a fresh gradient buffer need not be)
            NDArray whole = gradients(net, ps, m, x, fake, all, 1);
            zero(net);
            gradients(net, ps, m, x.get("0:4"), fake, new int[] {0, 1, 2, 3}, 2);
            NDArray halves = gradients(net, ps, m, x.get("4:8"), fake, new int[] {4, 5, 6, 7}, 2);
            double diff = whole.sub(halves).abs().max().getFloat();
            double scale = whole.abs().max().getFloat();
            assertTrue(diff <= 1e-4 * Math.max(1, scale), "max |diff| " + diff + " (scale " + scale + ")");
        } finally {
            System.clearProperty(EmotionNet.DROP_PATH_PROPERTY);
        }
    }

    private static NDArray gradients(EmotionNet net, ParameterStore ps, NDManager m, NDArray x, List<Sample> s,
                                     int[] idx, int accum) {
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray out = net.forward(ps, new NDList(x), true).get(0);
            gc.backward(Trainer.loss(m, out, s, idx, Task.EMOTION_CLASS, null).div(accum));
        }
        List<NDArray> grads = new ArrayList<>();
        net.getParameters().forEach(p -> grads.add(p.getValue().getArray().getGradient().flatten()));
        return NDArrays.concat(new NDList(grads));
    }

    /** Sets every gradient to zero by copying zeros in (g - g stays NaN where the buffer held garbage or NaN). */
    private static void zero(EmotionNet net) {
        net.getParameters().forEach(p -> {
            NDArray g = p.getValue().getArray().getGradient();
            try (NDArray zeros = g.zerosLike()) {
                zeros.copyTo(g);
            }
        });
    }

    @Test
    void aFrozenBackboneStaysUnchangedAndOnlyTheHeadLearns() throws IOException {
        List<Sample> small = train.subList(0, Math.min(32, train.size()));
        Trainer.Config c = Trainer.Config.defaults(Architecture.RESNET_PRETRAINED, Task.EMOTION_CLASS).withEpochs(1)
                .withBatch(8, 1).withAllowRandomInit(true);
        Path run = dir.resolve("frozen");
        new Trainer().train(c.withEpochs(1), small, small.subList(0, 8), run, false, e -> { });
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            EmotionNet a = EmotionNet.build(Architecture.RESNET_PRETRAINED, Task.EMOTION_CLASS);
            a.initialize(m, 2);
            Trainer.loadParameters(a, m, run.resolve("last.params"));
            float[] backboneAfter = a.backbone().getParameters().valueAt(0).getArray().toFloatArray();
            // Same seed, same initialisation: the untrained copy holds the starting backbone.
            Engine.getEngine("PyTorch").setRandomSeed((int) c.seed());
            EmotionNet b = EmotionNet.build(Architecture.RESNET_PRETRAINED, Task.EMOTION_CLASS);
            b.initialize(m, 2);
            assertArrayEquals(b.backbone().getParameters().valueAt(0).getArray().toFloatArray(), backboneAfter);
            assertTrue(!java.util.Arrays.equals(b.head().getParameters().valueAt(0).getArray().toFloatArray(),
                    a.head().getParameters().valueAt(0).getArray().toFloatArray()), "the head was trained");
        }
    }

    @Test
    void faceBackboneTrainsItsHeadOnImportedWeightsAndTheBaselineNeedsNoTraining() throws IOException {
        List<Sample> small = train.subList(0, Math.min(48, train.size()));
        Trainer.Config c = Trainer.Config.defaults(Architecture.RESNET_PRETRAINED, Task.EMOTION_CLASS)
                .withBackbone(dev.emotion.core.models.Backbone.RESNET34_FACES, null, null).withEpochs(2)
                .withBatch(16, 1);
        List<String> notes = new java.util.ArrayList<>();
        Trainer.Listener listener = new Trainer.Listener() {
            @Override
            public void epoch(Trainer.EpochReport r) {
            }

            @Override
            public void message(String line) {
                notes.add(line);
            }
        };
        Trainer.Result r = new Trainer().train(c, small, val, dir.resolve("faces"), false, listener);
        assertTrue(r.pretrainedWeights().startsWith("loaded 116 tensors"), r.pretrainedWeights());
        assertTrue(r.pretrainedWeights().contains("not used: fc"), r.pretrainedWeights());
        assertEquals(2, r.history().size());
        assertTrue(notes.stream().anyMatch(n -> n.startsWith("backbone resnet34-faces: loaded")), notes.toString());

        Trainer.Result baseline = new Trainer().train(Trainer.Config.defaults(Architecture.FACE_EXPRESSION_BASELINE,
                Task.EMOTION_CLASS), small, val, dir.resolve("baseline"), false, listener);
        assertEquals(0, baseline.bestEpoch());
        assertTrue(baseline.bestMetrics().containsKey("macro_f1"), baseline.bestMetrics().toString());
        assertTrue(baseline.pretrainedWeights().endsWith("classifier: loaded 2 tensors"), baseline.pretrainedWeights());
    }

    @Test
    void vitPretrainedCanFineTuneItsLastBlockAndOnlyThat() throws IOException {
        List<Sample> tiny = train.subList(0, Math.min(8, train.size()));
        Trainer.Config c = Trainer.Config.defaults(Architecture.VIT_PRETRAINED, Task.EMOTION_CLASS).withEpochs(1)
                .withBatch(4, 1).withAllowRandomInit(true).withAugment(false).withUnfreezeLastBlock(true);
        Path run = dir.resolve("vit-last-block");
        Trainer.Result r = new Trainer().train(c, tiny, tiny.subList(0, 4), run, false, e -> { });
        // one ViT-B block (7,087,872) + the final norm (1,536) + the head (795,656)
        assertEquals(7_087_872L + 1_536L + 795_656L, r.trainableParameters());
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            Engine.getEngine("PyTorch").setRandomSeed((int) c.seed());
            EmotionNet start = EmotionNet.build(Architecture.VIT_PRETRAINED, Task.EMOTION_CLASS);
            start.initialize(m, 2);
            EmotionNet tuned = EmotionNet.build(Architecture.VIT_PRETRAINED, Task.EMOTION_CLASS);
            tuned.initialize(m, 2);
            Trainer.loadParameters(tuned, m, run.resolve("last.params"));
            var before = dev.emotion.core.models.weights.WeightImport.parameters(start.backbone());
            var after = dev.emotion.core.models.weights.WeightImport.parameters(tuned.backbone());
            assertArrayEquals(before.get("blocks_0.attn.qkv.weight").getArray().toFloatArray(),
                    after.get("blocks_0.attn.qkv.weight").getArray().toFloatArray(), "block 1 stays frozen");
            assertTrue(!java.util.Arrays.equals(before.get("blocks_11.attn.qkv.weight").getArray().toFloatArray(),
                    after.get("blocks_11.attn.qkv.weight").getArray().toFloatArray()), "the last block was trained");
        }
        Trainer.TrainingException e = assertThrows(Trainer.TrainingException.class, () -> new Trainer().train(
                Trainer.Config.defaults(Architecture.CNN_SIMPLE, Task.EMOTION_CLASS).withEpochs(1)
                        .withUnfreezeLastBlock(true), tiny, tiny, dir.resolve("cnn-unfreeze"), false, x -> { }));
        assertTrue(e.getMessage().contains("only the pretrained architectures"), e.getMessage());
    }

    @Test
    void aPretrainedArchitectureWithoutWeightsIsRefusedUnlessAskedFor() {
        Trainer.Config c = Trainer.Config.defaults(Architecture.VIT_PRETRAINED, Task.EMOTION_CLASS);
        Trainer.TrainingException e = assertThrows(Trainer.TrainingException.class,
                () -> new Trainer().train(c, train, val, dir.resolve("refused"), false, x -> { }));
        assertTrue(e.getMessage().startsWith("vit_pretrained is a pretrained architecture: no pretrained weights for "
                + "backbone vit_b_16") && e.getMessage().contains("vit_b_16.safetensors"), e.getMessage());
        Trainer.TrainingException empty = assertThrows(Trainer.TrainingException.class, () -> new Trainer().train(
                Trainer.Config.defaults(Architecture.CNN_SIMPLE, Task.EMOTION_CLASS), train, List.of(),
                dir.resolve("empty"), false, x -> { }));
        assertTrue(empty.getMessage().contains("val 0"), empty.getMessage());
    }

    @Test
    void redeliveredBatchesDoNotDuplicateSamples() {
        SampleStore fresh = new SampleStore(dir.resolve("dedup"));
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0};
        var labels = new dev.emotion.core.contract.EmotionLabels(0.9, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, null, null, 0.7);
        List<dev.emotion.core.contract.FaceFrame> frames = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            frames.add(new dev.emotion.core.contract.FaceFrame(i, i * 33L, 0,
                    new dev.emotion.core.contract.Box(0, 0, 10, 10), 0.9, jpeg, labels, "joy"));
        }
        frames.add(new dev.emotion.core.contract.FaceFrame(3, 99L, 0, new dev.emotion.core.contract.Box(0, 0, 10, 10),
                0.9, jpeg, null, null));
        var batch = new dev.emotion.core.contract.FaceBatch(1, "s", "p01", "v.mp4", "job-9", 0, Split.TRAIN, frames);
        fresh.write(batch);
        fresh.write(batch);
        List<Sample> samples = fresh.samples("s", Split.TRAIN, null);
        assertEquals(3, samples.size(), "3 labelled faces, stored once; the unlabelled one is not a training sample");
        assertEquals(0, samples.get(0).dominant());
        assertEquals(0.7f, samples.get(0).attention(), 1e-6);
        assertEquals(List.of(), fresh.samples("s", Split.TRAIN, java.util.Set.of("other-job")),
                "batches of jobs without a manifest are left out");
    }
}
