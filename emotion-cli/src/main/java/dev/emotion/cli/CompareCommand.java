package dev.emotion.cli;

import dev.emotion.core.contract.Contracts;
import dev.emotion.core.evaluation.Agreement;
import dev.emotion.core.labels.AffdexCsvReader;
import dev.emotion.core.labels.LabelFileException;
import dev.emotion.core.labels.LabelTrack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code compare}: agreement of a per-frame prediction CSV with an AFFDEX export of the same video (or of any two
 * such files): lag search, per-channel r / CCC / MAE with intervals, dominant-emotion kappa, timelines.
 */
final class CompareCommand {

    static final String HELP = """
            Usage: ./emotion compare PREDICTIONS.csv AFFDEX.csv [--out DIR] [--max-lag-ms 1000] [--step-ms 0]
                                     [--tolerance-ms 50]
            Reads both files as iMotions/Affdex exports (./emotion predict's imotions layout is one), aligns them
            by timestamp after searching the lag that maximises the mean Pearson r over the 7 emotions (from
            -max-lag to +max-lag in --step-ms; 0 = the reference's median frame interval), and prints, per channel
            both files have (the 7 emotions, valence, engagement, attention, AFFDEX's expressions), Pearson r,
            Lin's CCC and the MAE (0..100) with 95 % bootstrap intervals over 5 s blocks of time, then the
            dominant emotion's agreement and Cohen's kappa (the same 0.5 rule on both sides). Writes
            agreement.json, one timeline PNG per channel and index.html to --out (default
            experiments/compare/<first file's name>).""";

    private CompareCommand() {
    }

    static int run(List<String> argv) throws IOException {
        Args a = new Args("compare", argv, Set.of("out", "max-lag-ms", "step-ms", "tolerance-ms"), Set.of(), true);
        if (a.positionals().size() != 2) {
            throw new UsageException("compare: give two files, PREDICTIONS.csv AFFDEX.csv (./emotion compare --help)");
        }
        Path firstFile = Path.of(a.positionals().get(0));
        Path referenceFile = Path.of(a.positionals().get(1));
        LabelTrack first;
        LabelTrack reference;
        try {
            first = new AffdexCsvReader().read(firstFile);
            reference = new AffdexCsvReader().read(referenceFile);
        } catch (LabelFileException e) {
            throw new UsageException("compare: " + e.getMessage());
        }
        long maxLag = a.integer("max-lag-ms", 1000);
        long step = a.integer("step-ms", 0);
        if (step <= 0) {
            step = Math.max(1, medianInterval(reference));
        }
        long tolerance = a.integer("tolerance-ms", 50);
        Agreement.Result r;
        try {
            r = Agreement.compare(first, reference, maxLag, step, tolerance);
        } catch (IllegalArgumentException e) {
            throw new UsageException("compare: " + e.getMessage());
        }
        String firstName = firstFile.getFileName().toString();
        String referenceName = referenceFile.getFileName().toString();
        Path out = Path.of(a.get("out", "experiments/compare/" + firstName.replaceAll("\\.[^.]*$", "")));
        Files.createDirectories(out);
        System.out.printf(Locale.ROOT, "compare %s (%s, %d rows) with %s (%s, %d rows)%n", firstName, first.format(),
                first.samples().size(), referenceName, reference.format(), reference.samples().size());
        double atZero = r.lagSearch().stream().filter(l -> l.lagMs() == 0).mapToDouble(Agreement.LagScore::meanPearson)
                .findFirst().orElse(Double.NaN);
        System.out.printf(Locale.ROOT, "best lag %+d ms (searched +-%d ms in %d ms steps): mean r over the emotions "
                        + "%.3f (at 0 ms: %.3f); %d frames aligned within %d ms%n", r.lagMs(), maxLag, step,
                r.lagSearch().stream().filter(l -> l.lagMs() == r.lagMs()).findFirst().orElseThrow().meanPearson(),
                atZero, r.alignedFrames(), tolerance);
        System.out.printf(Locale.ROOT, "%-22s %7s %22s %22s %22s%n", "channel", "frames", "Pearson r [95% CI]",
                "CCC [95% CI]", "MAE 0..100 [95% CI]");
        for (Agreement.Channel c : r.channels()) {
            System.out.printf(Locale.ROOT, "%-22s %7d %22s %22s %22s%n", c.name(), c.frames(),
                    ci(c.pearson(), c.pearsonCi(), 3), ci(c.ccc(), c.cccCi(), 3), ci(c.mae(), c.maeCi(), 1));
        }
        System.out.printf(Locale.ROOT, "dominant emotion: agreement %.3f, Cohen's kappa %.3f over %d frames that both "
                + "name%n", r.dominantAgreement(), r.kappa(), r.dominantFrames());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("first", firstFile.toString());
        json.put("reference", referenceFile.toString());
        json.put("lagMs", r.lagMs());
        json.put("lagSearch", r.lagSearch());
        json.put("alignedFrames", r.alignedFrames());
        json.put("toleranceMs", tolerance);
        json.put("channels", r.channels());
        json.put("dominant", Map.of("frames", r.dominantFrames(), "agreement", r.dominantAgreement(), "kappa",
                r.kappa(), "labels", r.dominantLabels(), "confusion", r.dominantConfusion()));
        Files.write(out.resolve("agreement.json"), Contracts.mapper().writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(json));
        Agreement.writePage(r, out, firstName, referenceName);
        System.out.println("wrote " + out.resolve("agreement.json") + ", " + r.traces().size()
                + " timelines and " + out.resolve("index.html"));
        return 0;
    }

    static long medianInterval(LabelTrack t) {
        List<Long> d = new java.util.ArrayList<>();
        for (int i = 1; i < t.samples().size(); i++) {
            d.add(t.samples().get(i).timestampMs() - t.samples().get(i - 1).timestampMs());
        }
        if (d.isEmpty()) {
            return 33;
        }
        d.sort(null);
        return d.get(d.size() / 2);
    }

    private static String ci(double v, dev.emotion.core.metrics.Bootstrap.Interval i, int decimals) {
        return Agreement.withInterval(v, i, decimals);
    }
}
