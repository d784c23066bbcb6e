package dev.emotion.cli;

import dev.emotion.core.evaluation.LabelAudit;
import dev.emotion.core.labels.AffdexCsvReader;
import dev.emotion.core.labels.LabelPolicy;
import dev.emotion.core.labels.LabelTrack;
import dev.emotion.core.synth.SynthPreset;
import dev.emotion.core.synth.SyntheticStudy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** {@code synth}: renders the synthetic study (videos + iMotions CSVs) into a folder and audits its labels. */
final class SynthCommand {

    static final String HELP = """
            Usage: ./emotion synth [--preset quick|standard|benchmark|hard] [--participants N] [--seconds S]
                                   [--out data/synthetic] [--size 640x480] [--fps 30] [--seed 42] [--study synthetic]
            Renders one H.264 MP4 and one iMotions-format CSV (the ground truth) per participant, then prints what
            the labels allow: class balance, Cramér's V between participant and class, and the AU-oracle ceiling
            (5-fold participant-grouped cross-validation on the expression columns, sampled at 10 fps).
            Presets (docs/synthetic-study.md): quick 6 x 20 s, standard 10 x 60 s (default), benchmark 20 x 90 s,
            hard 20 x 90 s with wider poses, more occlusions, mixed emotions, lighting changes, lower intensities.
            --participants and --seconds override the preset's.""";

    private SynthCommand() {
    }

    static int run(List<String> argv) throws Exception {
        Args a = new Args("synth", argv, Set.of("preset", "participants", "seconds", "out", "size", "fps", "seed",
                "study"), Set.of());
        String size = a.get("size", "640x480");
        String[] wh = size.toLowerCase().split("x");
        if (wh.length != 2) {
            throw new UsageException("synth: --size '" + size + "' must look like 640x480");
        }
        SyntheticStudy.Spec spec;
        try {
            SynthPreset preset = SynthPreset.of(a.get("preset", "standard"));
            spec = new SyntheticStudy.Spec(a.get("study", "synthetic"), a.integer("participants",
                    preset.participants()), a.number("seconds", preset.seconds()), Integer.parseInt(wh[0]),
                    Integer.parseInt(wh[1]), a.integer("fps", 30), a.integer("seed", 42), preset.difficulty());
        } catch (NumberFormatException e) {
            throw new UsageException("synth: --size '" + size + "' must look like 640x480");
        } catch (IllegalArgumentException e) {
            throw new UsageException("synth: " + e.getMessage());
        }
        Path out = Path.of(a.get("out", "data/synthetic"));
        ProgressBar bar = new ProgressBar("synth", spec.totalFrames(), "frames");
        List<SyntheticStudy.Participant> ps = SyntheticStudy.generate(spec, out, n -> bar.update(n, null));
        bar.finish(spec.totalFrames(), null);
        Map<String, LabelTrack> tracks = new TreeMap<>();
        for (SyntheticStudy.Participant p : ps) {
            System.out.println(p.participantId() + "  " + p.video() + "  " + p.labels());
            tracks.put(p.participantId(), new AffdexCsvReader().read(p.labels()));
        }
        printAudit(LabelAudit.of(tracks, 10, LabelPolicy.DEFAULT, 5, spec.seed()));
        return 0;
    }

    static void printAudit(LabelAudit.Result r) {
        System.out.printf("labels (10 fps, faces visible): %d frames, %d excluded as ambiguous (%.1f %%), Cramér's V "
                + "participant x class %.3f%n", r.frames(), r.excluded(), 100.0 * r.excluded() / Math.max(1,
                r.frames()), r.cramersV());
        for (LabelAudit.Balance b : r.perParticipant()) {
            System.out.printf("  %s  neutral %4.1f %%  %s%n", b.participant(), 100 * b.neutralFraction(),
                    b.classes());
        }
        if (r.oracle() != null) {
            System.out.printf("AU oracle (ceiling, %d folds by participant, %d expressions): macro-F1 %.3f +- %.3f, "
                            + "balanced accuracy %.3f +- %.3f%n", r.oracle().folds().size(), r.expressions().size(),
                    r.oracle().macroF1Mean(), r.oracle().macroF1Sd(), r.oracle().balancedAccuracyMean(),
                    r.oracle().balancedAccuracySd());
        }
    }
}
