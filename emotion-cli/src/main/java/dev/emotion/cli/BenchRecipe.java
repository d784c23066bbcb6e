package dev.emotion.cli;

import dev.emotion.core.contract.Architecture;
import dev.emotion.core.contract.Split;
import dev.emotion.core.contract.Task;
import dev.emotion.core.metrics.IdentityProbe;
import dev.emotion.core.faces.FaceDetector;
import dev.emotion.core.faces.FaceDetectors;
import dev.emotion.core.faces.FacePipeline;
import dev.emotion.core.ingest.IngestOptions;
import dev.emotion.core.contract.ParticipantSplits;
import dev.emotion.core.ingest.VideoIngest;
import dev.emotion.core.models.Backbone;
import dev.emotion.core.models.EmotionNet;
import dev.emotion.core.models.ModelSpec;
import dev.emotion.core.synth.SynthPreset;
import dev.emotion.core.synth.SyntheticStudy;
import dev.emotion.core.training.MeanCrop;
import dev.emotion.core.store.Sample;
import dev.emotion.core.store.SampleStore;
import dev.emotion.core.training.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code bench-recipe}: the training recipe's ablation, in process (no broker, no services): renders a preset's
 * study, ingests it into a sample store, and cross-validates one architecture with K folds grouped by participant
 * for each variant of the recipe. Every figure is measured on participants no model of that fold saw, and no fold's
 * test people chose its checkpoint (the next fold's people did).
 */
final class BenchRecipe {

    static final String HELP = """
            Usage: ./emotion bench-recipe [--preset quick] [--seed 42] [--folds 3] [--model cnn_simple] [--epochs 12]
                                          [--fps 5] [--variants recipe,no-augment] [--study-dir DIR]
                                          [--enlarge 1.4] [--align] [--backbone B]
            Variants: recipe (the default training), no-augment (no flips, rotations, colour jitter, grayscale),
            participant-baseline / no-baseline (each participant's mean face subtracted from their crops, or not),
            no-drop-path (vit_scratch without stochastic depth), fine-tune (a pretrained backbone's last block
            trained too, with augmentation), input-96 (cnn_simple at 96 px instead of 64). --backbone picks a pretrained architecture's backbone (face-expression).
            --enlarge and --align change the ingest crop (side / detector box; eye-aligned, roll-corrected); each has
            its own store under --study-dir, the rendered videos are shared.
            Prints per variant macro-F1, balanced accuracy and accuracy (mean +- sd over folds), epochs trained.""";

    private BenchRecipe() {
    }

    static int run(List<String> argv) throws Exception {
        Args a = new Args("bench-recipe", argv, Set.of("preset", "seed", "folds", "model", "epochs", "fps",
                "variants", "study-dir", "enlarge", "backbone"), Set.of("align"));
        SynthPreset preset = SynthPreset.of(a.get("preset", "quick"));
        int seed = a.integer("seed", 42);
        int k = a.integer("folds", 3);
        Architecture arch = Architecture.valueOf(a.get("model", "cnn_simple").toUpperCase(Locale.ROOT));
        int epochs = a.integer("epochs", 12);
        double fps = a.number("fps", 5);
        double enlarge = a.number("enlarge", FacePipeline.Options.DEFAULT.enlarge());
        boolean align = a.flag("align");
        List<String> variants = Arrays.asList(a.get("variants", "recipe,no-augment").split(","));
        Path dir = a.has("study-dir") ? Path.of(a.required("study-dir")) : Files.createTempDirectory("bench-recipe");
        SyntheticStudy.Spec spec = new SyntheticStudy.Spec("recipe", preset.participants(), preset.seconds(), 640,
                480, 30, seed, preset.difficulty());
        List<SyntheticStudy.Participant> ps;
        if (Files.isRegularFile(dir.resolve("videos").resolve(SyntheticStudy.participantId(0) + ".mp4"))) {
            ps = new ArrayList<>();
            for (int i = 0; i < spec.participants(); i++) {
                String id = SyntheticStudy.participantId(i);
                ps.add(new SyntheticStudy.Participant(id, dir.resolve("videos").resolve(id + ".mp4"),
                        dir.resolve("videos").resolve(id + ".csv")));
            }
        } else {
            ProgressBar bar = new ProgressBar("render", spec.totalFrames(), "frames");
            ps = SyntheticStudy.generate(spec, dir.resolve("videos"), n -> bar.update(n, null));
            bar.finish(spec.totalFrames(), null);
        }
        SampleStore store = new SampleStore(dir.resolve(String.format(Locale.ROOT, "store-%sfps-x%.2f-%s", fps, enlarge,
                align ? "aligned" : "box")));
        if (store.samples("recipe", Split.TRAIN, null).isEmpty()) {
            IngestOptions options = new IngestOptions(new FacePipeline.Options(fps, 224, enlarge, 90, align),
                    IngestOptions.DEFAULT.alignment(), IngestOptions.DEFAULT.toleranceMs(),
                    IngestOptions.DEFAULT.policy(), IngestOptions.DEFAULT.maxFramesPerBatch(),
                    IngestOptions.DEFAULT.maxBatchBytes());
            try (FaceDetector detector = FaceDetectors.open(FaceDetectors.defaultModelPath(), 0.5f, 20)) {
                for (SyntheticStudy.Participant p : ps) {
                    new VideoIngest(detector, options).run("recipe", p.participantId(), "job", Split.TRAIN, p.video(),
                            p.labels(), store::write, x -> { });
                }
            }
        }
        Map<String, List<Sample>> byPerson = new TreeMap<>();
        for (Sample s : Trainer.usable(store.samples("recipe", Split.TRAIN, null), Task.EMOTION_CLASS)) {
            byPerson.computeIfAbsent(s.participantId(), x -> new ArrayList<>()).add(s);
        }
        List<Sample> everyone = byPerson.values().stream().flatMap(List::stream).toList();
        Map<String, MeanCrop> baselines = MeanCrop.perVideo(everyone); // for the identity probe: fold-independent
        List<List<String>> groups = ParticipantSplits.groupedFolds(byPerson.keySet(), k, seed);
        k = groups.size();
        List<String> rows = new ArrayList<>();
        for (String variant : variants) {
            Trainer.Config c = Trainer.Config.defaults(arch, Task.EMOTION_CLASS).withEpochs(epochs);
            if (a.has("backbone")) {
                c = c.withBackbone(Backbone.parse(a.required("backbone"), arch), null, null);
            }
            switch (variant) {
                case "recipe" -> { }
                case "no-augment" -> c = c.withAugment(false);
                case "participant-baseline" -> c = c.withParticipantBaseline(true);
                case "no-baseline" -> c = c.withParticipantBaseline(false);
                case "no-drop-path" -> System.setProperty(EmotionNet.DROP_PATH_PROPERTY, "0");
                case "fine-tune" -> c = c.withUnfreezeLastBlock(true);
                case "input-96" -> System.setProperty(ModelSpec.CNN_INPUT_PROPERTY, "96"); // read by spec()
                default -> throw new UsageException("bench-recipe: unknown variant '" + variant
                        + "' (recipe, no-augment, participant-baseline, no-baseline, no-drop-path, fine-tune, input-96)");
            }
            double[] f1 = new double[k];
            double[] bal = new double[k];
            double[] acc = new double[k];
            double[] trained = new double[k];
            double[] probe = new double[k];
            double chance = 0;
            long t0 = System.nanoTime();
            for (int f = 0; f < k; f++) {
                List<String> test = groups.get(f);
                List<String> val = groups.get((f + 1) % k);
                List<Sample> train = new ArrayList<>();
                List<Sample> valSamples = new ArrayList<>();
                List<Sample> testSamples = new ArrayList<>();
                byPerson.forEach((p, s) -> (test.contains(p) ? testSamples : val.contains(p) ? valSamples : train)
                        .addAll(s));
                ProgressBar bar = new ProgressBar(variant + " fold " + (f + 1), epochs, "epochs");
                Trainer.Result r = new Trainer().train(c, train, valSamples, dir.resolve("runs").resolve(variant)
                        .resolve("fold" + f), false, e -> bar.update(e.epoch(), String.format(Locale.ROOT,
                        "val loss %.3f macro-F1 %.3f", e.valLoss(), e.valMetrics().get("macro_f1"))));
                bar.finish(r.history().size(), "best epoch " + r.bestEpoch());
                Trainer.Evaluation ev = new Trainer().evaluateCheckpoint(c.spec(), c.task(), r.bestCheckpoint(),
                        testSamples, c.batchSize(), c.participantBaseline());
                f1[f] = ev.metrics().get("macro_f1");
                bal[f] = ev.metrics().get("balanced_accuracy");
                acc[f] = ev.metrics().get("accuracy");
                trained[f] = r.history().size();
                IdentityProbe.Result id = new Trainer().identityProbe(c.spec(), c.task(), r.bestCheckpoint(),
                        everyone, 24, c.batchSize(), c.participantBaseline() ? baselines : null);
                probe[f] = id.accuracy();
                chance = id.chance();
                System.out.printf(Locale.ROOT, "  %s fold %d: test %s -> macro-F1 %.3f, balanced accuracy %.3f, "
                        + "identity probe %.3f%n", variant, f + 1, test, f1[f], bal[f], probe[f]);
            }
            System.clearProperty(EmotionNet.DROP_PATH_PROPERTY);
            System.clearProperty(ModelSpec.CNN_INPUT_PROPERTY);
            rows.add(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s (chance %.2f) | %.1f | %.0f |",
                    arch.id(), variant, meanSd(f1), meanSd(bal), meanSd(acc), meanSd(probe), chance,
                    Arrays.stream(trained).average().orElse(0), (System.nanoTime() - t0) / 1e9));
        }
        System.out.printf(Locale.ROOT, "%n%s, seed %d, %d folds grouped by participant, %s fps, up to %d epochs, "
                + "crop %.2f x box, %s%n", preset.label(), seed, k, fps, epochs, enlarge,
                align ? "eye-aligned" : "not aligned");
        System.out.println("| model | variant | macro-F1 | balanced accuracy | accuracy | identity probe | epochs "
                + "trained | seconds |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
        return 0;
    }

    private static String meanSd(double[] v) {
        double m = Arrays.stream(v).average().orElse(Double.NaN);
        double sd = Math.sqrt(Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / Math.max(1, v.length - 1));
        return String.format(Locale.ROOT, "%.3f +- %.3f", m, sd);
    }
}
