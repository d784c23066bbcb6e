package dev.emotion.cli;

import dev.emotion.core.evaluation.LabelAudit;
import dev.emotion.core.faces.FaceDetector;
import dev.emotion.core.faces.FaceDetectors;
import dev.emotion.core.faces.FacePipeline;
import dev.emotion.core.faces.FrameFaces;
import dev.emotion.core.labels.AffdexCsvReader;
import dev.emotion.core.labels.LabelPolicy;
import dev.emotion.core.labels.LabelTrack;
import dev.emotion.core.synth.EmotionScript;
import dev.emotion.core.synth.SynthPreset;
import dev.emotion.core.synth.SyntheticStudy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code bench-synth}: per preset, what the synthetic study measures: rendering speed (frames/s per core), the
 * detector's rate on frames where the face is visible, and from the full preset's labels the class balance,
 * Cramér's V and the AU-oracle ceiling. Prints a markdown table for docs/benchmarks.md.
 */
final class BenchSynth {

    static final String HELP = """
            Usage: ./emotion bench-synth [--presets quick,standard,benchmark,hard] [--render-seconds 20] [--seed 42]
            Per preset: renders 2 participants x --render-seconds at 640x480 (frames/s per core, detection rate on
            visible frames at 10 fps), and audits the whole preset's labels (participants x seconds, CSVs only):
            neutral and excluded shares, Cramér's V (participant x class), AU oracle (5 folds by participant).""";

    private BenchSynth() {
    }

    static int run(List<String> argv) throws Exception {
        Args a = new Args("bench-synth", argv, Set.of("presets", "render-seconds", "seed"), Set.of());
        List<SynthPreset> presets = new ArrayList<>();
        try {
            for (String name : a.get("presets", "quick,standard,benchmark,hard").split(",")) {
                presets.add(SynthPreset.of(name.trim()));
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException("bench-synth: " + e.getMessage());
        }
        double renderSeconds = a.number("render-seconds", 20);
        long seed = a.integer("seed", 42);
        List<String> rows = new ArrayList<>();
        Path root = Files.createTempDirectory("bench-synth");
        for (SynthPreset preset : presets) {
            SyntheticStudy.Spec sample = new SyntheticStudy.Spec(preset.label(), 2, renderSeconds, 640, 480, 30,
                    seed, preset.difficulty());
            int threads = Math.min(2, Runtime.getRuntime().availableProcessors());
            ProgressBar bar = new ProgressBar(preset.label() + " render", sample.totalFrames(), "frames");
            long t0 = System.nanoTime();
            List<SyntheticStudy.Participant> ps = SyntheticStudy.generate(sample, root.resolve(preset.label()),
                    n -> bar.update(n, null));
            double seconds = (System.nanoTime() - t0) / 1e9;
            bar.finish(sample.totalFrames(), null);
            double perCore = sample.totalFrames() / seconds / threads;
            long visible = 0;
            long found = 0;
            try (FaceDetector detector = FaceDetectors.open(FaceDetectors.defaultModelPath(), 0.5f, 20)) {
                FacePipeline pipeline = new FacePipeline(detector, new FacePipeline.Options(10, 112, 1.4, 85));
                for (int i = 0; i < ps.size(); i++) {
                    EmotionScript script = SyntheticStudy.script(sample, i);
                    List<FrameFaces> frames = new ArrayList<>();
                    pipeline.run(ps.get(i).video(), frames::add);
                    for (FrameFaces f : frames) {
                        if (!script.faceHidden(f.timestampMs() / 1000.0)) {
                            visible++;
                            found += f.faces().isEmpty() ? 0 : 1;
                        }
                    }
                }
            }
            SyntheticStudy.Spec full = new SyntheticStudy.Spec(preset.label(), preset.participants(),
                    preset.seconds(), 640, 480, 30, seed, preset.difficulty());
            List<Path> csvs = SyntheticStudy.writeLabels(full, root.resolve(preset.label() + "-labels"));
            Map<String, LabelTrack> tracks = new TreeMap<>();
            for (int i = 0; i < csvs.size(); i++) {
                tracks.put(SyntheticStudy.participantId(i), new AffdexCsvReader().read(csvs.get(i)));
            }
            LabelAudit.Result r = LabelAudit.of(tracks, 10, LabelPolicy.DEFAULT, 5, seed);
            double minNeutral = r.perParticipant().stream().mapToDouble(LabelAudit.Balance::neutralFraction).min()
                    .orElse(Double.NaN);
            double maxNeutral = r.perParticipant().stream().mapToDouble(LabelAudit.Balance::neutralFraction).max()
                    .orElse(Double.NaN);
            rows.add(String.format(Locale.ROOT, "| %s | %d x %.0f s | %.0f | %.1f %% (%d/%d) | %.0f-%.0f %% | %.1f %% "
                            + "| %.3f | %.3f +- %.3f |", preset.label(), preset.participants(), preset.seconds(),
                    perCore, 100.0 * found / Math.max(1, visible), found, visible, 100 * minNeutral, 100 * maxNeutral,
                    100.0 * r.excluded() / Math.max(1, r.frames()), r.cramersV(), r.oracle().macroF1Mean(),
                    r.oracle().macroF1Sd()));
        }
        System.out.println();
        System.out.println("| preset | study | render frames/s per core (640x480) | detection on visible frames | "
                + "neutral share per person | excluded (ambiguous) | Cramér's V | AU oracle macro-F1 (5 folds) |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
        return 0;
    }
}
