package dev.emotion.cli;

import dev.emotion.core.contract.Architecture;
import dev.emotion.core.contract.ParticipantSplits;
import dev.emotion.core.contract.Split;
import dev.emotion.core.contract.Task;
import dev.emotion.core.faces.FaceDetector;
import dev.emotion.core.faces.FaceDetectors;
import dev.emotion.core.faces.FacePipeline;
import dev.emotion.core.ingest.IngestOptions;
import dev.emotion.core.ingest.StillsIngest;
import dev.emotion.core.ingest.VideoIngest;
import dev.emotion.core.labels.StillsIndex;
import dev.emotion.core.metrics.Bootstrap;
import dev.emotion.core.models.Backbone;
import dev.emotion.core.store.Sample;
import dev.emotion.core.store.SampleStore;
import dev.emotion.core.synth.SynthPreset;
import dev.emotion.core.synth.SyntheticStudy;
import dev.emotion.core.training.BatchLoader;
import dev.emotion.core.training.MeanCrop;
import dev.emotion.core.training.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code bench-transfer}: does what a model learns on rendered faces carry over to real people? In process (no
 * services): for each synthetic preset, renders and ingests the study, trains each architecture on its training
 * people (checkpoint chosen on its validation people), scores it on the preset's test people and then, zero-shot, on
 * every face of a real study of stills (datasets/real-faces by default: no real face was seen in training), the way a
 * photo is served (models trained on participant baselines get their cold-start baseline). The zero-training
 * face-api baseline is scored on the same real faces. Intervals are 95 % bootstrap over people.
 */
final class BenchTransfer {

    static final String HELP = """
            Usage: ./emotion bench-transfer [--presets quick] [--models cnn_simple,vit_scratch,resnet_pretrained,resnet_pretrained_finetuned]
                                            [--epochs 6] [--fps 3] [--seed 42] [--real datasets/real-faces]
                                            [--study-dir DIR] [--out FILE.json]
            Trains each model on each synthetic preset and scores it on that preset's held-out people and, zero-shot,
            on every face of the real study (macro-F1 with a 95 % bootstrap interval over people, balanced accuracy),
            beside the zero-training face_expression_baseline on the same real faces. resnet_pretrained uses the
            offline face-expression backbone (resnet_pretrained_finetuned: its last stage trained too).
            Writes the table and a JSON result file (--out; default .emotion/bench/transfer.json).""";

    private BenchTransfer() {
    }

    /** One row of the table. */
    record Row(String trainedOn, String model, double syntheticF1, double realF1, double realLow, double realHigh,
               double realBalanced, int epochs, double seconds) {
    }

    static int run(List<String> argv) throws Exception {
        Args a = new Args("bench-transfer", argv, Set.of("presets", "models", "epochs", "fps", "seed", "real",
                "study-dir", "out"), Set.of());
        List<String> presets = Arrays.asList(a.get("presets", "quick").split(","));
        List<String> models = Arrays.asList(a.get("models",
                "cnn_simple,vit_scratch,resnet_pretrained,resnet_pretrained_finetuned").split(","));
        int epochs = a.integer("epochs", 6);
        double fps = a.number("fps", 3);
        int seed = a.integer("seed", 42);
        Path real = Path.of(a.get("real", "datasets/real-faces"));
        Path dir = a.has("study-dir") ? Path.of(a.required("study-dir")) : Files.createTempDirectory("bench-transfer");
        Path out = Path.of(a.get("out", ".emotion/bench/transfer.json"));

        List<Sample> realFaces = realFaces(real, dir.resolve("real-store"));
        System.out.printf(Locale.ROOT, "real study %s: %d faces of %d people%n", real, realFaces.size(),
                realFaces.stream().map(Sample::participantId).distinct().count());
        List<Row> rows = new ArrayList<>();
        Row baseline = null;
        for (String presetName : presets) {
            SynthPreset preset = SynthPreset.of(presetName);
            Map<Split, List<Sample>> synth = synthetic(preset, seed, fps, dir.resolve(preset.name()
                    .toLowerCase(Locale.ROOT)));
            if (baseline == null) {
                baseline = train("none (face-api)", "face_expression_baseline", Architecture.FACE_EXPRESSION_BASELINE,
                        null, false, 1, seed, synth, realFaces, dir.resolve("runs").resolve("baseline"));
            }
            for (String m : models) {
                boolean finetune = m.equals("resnet_pretrained_finetuned");
                Architecture arch = Architecture.valueOf((finetune ? "resnet_pretrained" : m).toUpperCase(Locale.ROOT));
                Backbone backbone = arch == Architecture.RESNET_PRETRAINED ? Backbone.FACE_EXPRESSION : null;
                rows.add(train(preset.label(), m, arch, backbone, finetune, epochs, seed, synth, realFaces,
                        dir.resolve("runs").resolve(preset.name().toLowerCase(Locale.ROOT)).resolve(m)));
                List<Row> sofar = new ArrayList<>(rows);
                sofar.add(0, baseline);
                write(out, argv, real, realFaces.size(), sofar, false); // a long run keeps what it measured
            }
        }
        rows.add(0, baseline);
        System.out.printf(Locale.ROOT, "%nTransfer from rendered to real faces (seed %d, up to %d epochs, %s fps; real: "
                + "%d faces, 95 %% bootstrap over people; chance 0.125)%n", seed, epochs, fps, realFaces.size());
        System.out.println("| trained on | model | synthetic held-out macro-F1 | real macro-F1 [95 % CI] | real balanced "
                + "accuracy | epochs | seconds |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %.3f [%.3f, %.3f] | %.3f | %d | %.0f |%n", r.trainedOn(),
                    r.model(), Double.isNaN(r.syntheticF1()) ? "-" : String.format(Locale.ROOT, "%.3f",
                    r.syntheticF1()), r.realF1(), r.realLow(), r.realHigh(), r.realBalanced(), r.epochs(),
                    r.seconds());
        }
        write(out, argv, real, realFaces.size(), rows, true);
        System.out.println("results: " + out);
        return 0;
    }

    /** The result file: rows so far ({@code complete} false until every preset and model is done). */
    private static void write(Path out, List<String> argv, Path real, int faces, List<Row> rows, boolean complete)
            throws java.io.IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", "./emotion bench-transfer " + String.join(" ", argv));
        json.put("date", Instant.now().toString());
        json.put("commit", Results.commit());
        json.put("machine", Results.machine());
        json.put("realStudy", real.toString());
        json.put("realFaces", faces);
        json.put("complete", complete);
        json.put("rows", rows);
        Files.createDirectories(out.toAbsolutePath().getParent());
        dev.emotion.core.contract.Contracts.mapper().writerWithDefaultPrettyPrinter().writeValue(out.toFile(), json);
    }

    /** The real study's faces through the stills ingest (cached in {@code storeDir}). */
    static List<Sample> realFaces(Path real, Path storeDir) {
        SampleStore store = new SampleStore(storeDir);
        if (store.samples("real", Split.TRAIN, null).isEmpty()) {
            // Every real face is a test face here: one split for all (no model trains on them).
            StillsIndex index = StillsIndex.read(real.resolve("labels.csv"), real, Split.TRAIN, 0);
            try (FaceDetector detector = FaceDetectors.open(FaceDetectors.defaultModelPath(), 0.5f, 10)) {
                new StillsIngest(detector, IngestOptions.DEFAULT, false).run("real", "bench", real, index,
                        store::write, p -> { });
            }
        }
        return Trainer.usable(store.samples("real", Split.TRAIN, null), Task.EMOTION_CLASS);
    }

    /** The preset's study rendered and ingested (cached), split 3:1:1 by participant. */
    private static Map<Split, List<Sample>> synthetic(SynthPreset preset, int seed, double fps, Path dir)
            throws java.io.IOException {
        SyntheticStudy.Spec spec = new SyntheticStudy.Spec("transfer", preset.participants(), preset.seconds(), 480,
                360, 30, seed, preset.difficulty());
        SampleStore store = new SampleStore(dir.resolve("store"));
        if (store.samples("transfer", Split.TRAIN, null).isEmpty()) {
            ProgressBar bar = new ProgressBar("render " + preset.label(), spec.totalFrames(), "frames");
            List<SyntheticStudy.Participant> ps = SyntheticStudy.generate(spec, dir.resolve("videos"),
                    n -> bar.update(n, null));
            bar.finish(spec.totalFrames(), null);
            IngestOptions options = new IngestOptions(new FacePipeline.Options(fps, 224, 1.4, 90),
                    IngestOptions.DEFAULT.alignment(), IngestOptions.DEFAULT.toleranceMs(),
                    IngestOptions.DEFAULT.policy(), IngestOptions.DEFAULT.maxFramesPerBatch(),
                    IngestOptions.DEFAULT.maxBatchBytes());
            try (FaceDetector detector = FaceDetectors.open(FaceDetectors.defaultModelPath(), 0.5f, 20)) {
                for (SyntheticStudy.Participant p : ps) {
                    new VideoIngest(detector, options).run("transfer", p.participantId(), "job", Split.TRAIN,
                            p.video(), p.labels(), store::write, x -> { });
                }
            }
        }
        List<Sample> all = Trainer.usable(store.samples("transfer", Split.TRAIN, null), Task.EMOTION_CLASS);
        Map<String, Split> splits = ParticipantSplits.assign(all.stream().map(Sample::participantId).distinct()
                .toList(), seed, 3, 1, 1);
        Map<Split, List<Sample>> out = new TreeMap<>();
        for (Sample s : all) {
            out.computeIfAbsent(splits.get(s.participantId()), k -> new ArrayList<>()).add(s);
        }
        return out;
    }

    private static Row train(String trainedOn, String name, Architecture arch, Backbone backbone, boolean finetune,
                             int epochs, int seed, Map<Split, List<Sample>> synth, List<Sample> realFaces, Path run) {
        long t0 = System.nanoTime();
        Trainer.Config c = Trainer.Config.defaults(arch, Task.EMOTION_CLASS).withEpochs(epochs).withSeed(seed);
        if (backbone != null) {
            c = c.withBackbone(backbone, null, null);
        }
        if (finetune) {
            c = c.withUnfreezeLastBlock(true);
        }
        ProgressBar bar = new ProgressBar(name + " on " + trainedOn, c.epochs(), "epochs");
        Trainer.Config config = c;
        Trainer.Result r = new Trainer().train(c, synth.get(Split.TRAIN), synth.get(Split.VAL), run, false,
                e -> bar.update(e.epoch(), String.format(Locale.ROOT, "val macro-F1 %.3f", e.valMetrics()
                        .get("macro_f1"))));
        bar.finish(r.history().size(), "best epoch " + r.bestEpoch());
        double synthetic = arch.trained() ? new Trainer().evaluateCheckpoint(c.spec(), c.task(), r.bestCheckpoint(),
                synth.get(Split.TEST), c.batchSize(), c.participantBaseline()).metrics().get("macro_f1") : Double.NaN;
        // A photo is served on its own: a model trained on participant baselines gets its cold-start baseline.
        Map<String, MeanCrop> cold = null;
        if (config.participantBaseline()) {
            MeanCrop base = MeanCrop.read(r.bestCheckpoint().resolveSibling(Trainer.BASELINE_FILE));
            cold = new TreeMap<>();
            for (Sample s : realFaces) {
                cold.put(BatchLoader.baselineKey(s), base);
            }
        }
        Trainer.Evaluation e = new Trainer().evaluateCheckpoint(c.spec(), c.task(), r.bestCheckpoint(), realFaces,
                c.batchSize(), cold);
        List<String> people = realFaces.stream().map(Sample::participantId).toList();
        Map<String, Bootstrap.Interval> ci = Bootstrap.intervals(people, idx -> {
            List<Sample> pick = new ArrayList<>(idx.length);
            int outputs = e.scores().length / realFaces.size();
            float[] scores = new float[idx.length * outputs];
            for (int i = 0; i < idx.length; i++) {
                pick.add(realFaces.get(idx[i]));
                System.arraycopy(e.scores(), idx[i] * outputs, scores, i * outputs, outputs);
            }
            return Trainer.metrics(Task.EMOTION_CLASS, scores, pick);
        }, 1000, seed);
        Bootstrap.Interval f1 = ci.get("macro_f1");
        System.out.printf(Locale.ROOT, "  %s trained on %s: synthetic held-out macro-F1 %.3f, real %.3f [%.3f, %.3f]%n",
                name, trainedOn, synthetic, e.metrics().get("macro_f1"), f1.low(), f1.high());
        return new Row(trainedOn, name, synthetic, e.metrics().get("macro_f1"), f1.low(), f1.high(),
                e.metrics().get("balanced_accuracy"), r.history().size(), (System.nanoTime() - t0) / 1e9);
    }
}
