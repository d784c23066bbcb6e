package dev.emotion.cli;

import dev.emotion.core.contract.Architecture;
import dev.emotion.core.contract.Split;
import dev.emotion.core.contract.Task;
import dev.emotion.core.faces.FaceDetector;
import dev.emotion.core.faces.FaceDetectors;
import dev.emotion.core.faces.FacePipeline;
import dev.emotion.core.ingest.IngestOptions;
import dev.emotion.core.ingest.ParticipantSplits;
import dev.emotion.core.ingest.VideoIngest;
import dev.emotion.core.synth.SynthPreset;
import dev.emotion.core.synth.SyntheticStudy;
import dev.emotion.core.training.Sample;
import dev.emotion.core.training.SampleStore;
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
            Variants: recipe (the default training), no-augment (no flips, rotations, colour jitter, grayscale),
            participant-baseline (each participant's mean face subtracted from their crops).
            Prints per variant macro-F1, balanced accuracy and accuracy (mean +- sd over folds), epochs trained.""";

    private BenchRecipe() {
    }

    static int run(List<String> argv) throws Exception {
        Args a = new Args("bench-recipe", argv, Set.of("preset", "seed", "folds", "model", "epochs", "fps",
                "variants", "study-dir"), Set.of());
        SynthPreset preset = SynthPreset.of(a.get("preset", "quick"));
        int seed = a.integer("seed", 42);
        int k = a.integer("folds", 3);
        Architecture arch = Architecture.valueOf(a.get("model", "cnn_simple").toUpperCase(Locale.ROOT));
        int epochs = a.integer("epochs", 12);
        double fps = a.number("fps", 5);
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
        SampleStore store = new SampleStore(dir.resolve("store-" + (int) fps));
        if (store.samples("recipe", Split.TRAIN, null).isEmpty()) {
            IngestOptions options = new IngestOptions(new FacePipeline.Options(fps, 224, 1.4, 90),
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
        List<List<String>> groups = ParticipantSplits.groupedFolds(byPerson.keySet(), k, seed);
        k = groups.size();
        List<String> rows = new ArrayList<>();
        for (String variant : variants) {
            Trainer.Config c = Trainer.Config.defaults(arch, Task.EMOTION_CLASS).withEpochs(epochs);
            switch (variant) {
                case "recipe" -> { }
                case "no-augment" -> c = c.withAugment(false);
                case "participant-baseline" -> c = c.withParticipantBaseline(true);
                default -> throw new UsageException("bench-recipe: unknown variant '" + variant
                        + "' (recipe, no-augment, participant-baseline)");
            }
            double[] f1 = new double[k];
            double[] bal = new double[k];
            double[] acc = new double[k];
            double[] trained = new double[k];
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
                System.out.printf(Locale.ROOT, "  %s fold %d: test %s -> macro-F1 %.3f, balanced accuracy %.3f%n",
                        variant, f + 1, test, f1[f], bal[f]);
            }
            rows.add(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %.1f | %.0f |", arch.id(), variant,
                    meanSd(f1), meanSd(bal), meanSd(acc), Arrays.stream(trained).average().orElse(0),
                    (System.nanoTime() - t0) / 1e9));
        }
        System.out.printf(Locale.ROOT, "%n%s, seed %d, %d folds grouped by participant, %s fps, up to %d epochs%n",
                preset.label(), seed, k, fps, epochs);
        System.out.println("| model | variant | macro-F1 | balanced accuracy | accuracy | epochs trained | seconds |");
        System.out.println("|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
        return 0;
    }

    private static String meanSd(double[] v) {
        double m = Arrays.stream(v).average().orElse(Double.NaN);
        double sd = Math.sqrt(Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / Math.max(1, v.length - 1));
        return String.format(Locale.ROOT, "%.3f +- %.3f", m, sd);
    }
}
