package dev.emotion.cli;

import dev.emotion.core.synth.SyntheticStudy;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@code synth}: renders the synthetic study (videos + iMotions CSVs) into a folder. */
final class SynthCommand {

    static final String HELP = """
            Usage: ./emotion synth [--participants 5] [--seconds 60] [--out data/synthetic] [--size 640x480]
                                   [--fps 30] [--seed 42] [--study synthetic]
            Renders one H.264 MP4 and one iMotions-format CSV (the ground truth) per participant.""";

    private SynthCommand() {
    }

    static int run(List<String> argv) throws Exception {
        Args a = new Args("synth", argv, Set.of("participants", "seconds", "out", "size", "fps", "seed", "study"),
                Set.of());
        String size = a.get("size", "640x480");
        String[] wh = size.toLowerCase().split("x");
        if (wh.length != 2) {
            throw new UsageException("synth: --size '" + size + "' must look like 640x480");
        }
        SyntheticStudy.Spec spec;
        try {
            spec = new SyntheticStudy.Spec(a.get("study", "synthetic"), a.integer("participants", 5),
                    a.number("seconds", 60), Integer.parseInt(wh[0]), Integer.parseInt(wh[1]), a.integer("fps", 30),
                    a.integer("seed", 42));
        } catch (NumberFormatException e) {
            throw new UsageException("synth: --size '" + size + "' must look like 640x480");
        } catch (IllegalArgumentException e) {
            throw new UsageException("synth: " + e.getMessage());
        }
        Path out = Path.of(a.get("out", "data/synthetic"));
        ProgressBar bar = new ProgressBar("synth", spec.totalFrames(), "frames");
        List<SyntheticStudy.Participant> ps = SyntheticStudy.generate(spec, out, n -> bar.update(n, null));
        bar.finish(spec.totalFrames(), null);
        for (SyntheticStudy.Participant p : ps) {
            System.out.println(p.participantId() + "  " + p.video() + "  " + p.labels());
        }
        return 0;
    }
}
