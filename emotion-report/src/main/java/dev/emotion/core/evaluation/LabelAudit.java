package dev.emotion.core.evaluation;

import dev.emotion.core.metrics.AuOracle;

import dev.emotion.core.contract.Emotion;
import dev.emotion.core.contract.EmotionLabels;
import dev.emotion.core.labels.LabelPolicy;
import dev.emotion.core.labels.LabelTimeline;
import dev.emotion.core.labels.LabelTrack;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a study's labels allow, before any model: class balance per participant, how strongly the dominant class
 * depends on who the person is (Cramér's V; 0 = not at all), the share of neutral and excluded frames, and the
 * AU-oracle ceiling under participant-grouped cross-validation. Reads the annotation files sampled at the ingest
 * rate, so it sees the frames a model will see.
 */
public final class LabelAudit {

    /** One participant's sampled frames with a face: per dominant class, excluded, and the neutral share. */
    public record Balance(String participant, long frames, Map<String, Long> classes, long excluded,
                          double neutralFraction) {
    }

    public record Result(int participants, long frames, long excluded, List<Balance> perParticipant,
                         double cramersV, List<String> expressions, AuOracle.CrossValidated oracle,
                         @com.fasterxml.jackson.annotation.JsonIgnore List<AuOracle.Example> examples) {
    }

    private LabelAudit() {
    }

    /**
     * @param tracks per participant, the parsed annotation file
     * @param fps    sampling rate (the ingest's)
     * @param folds  grouped folds for the oracle (0: no oracle)
     */
    public static Result of(Map<String, LabelTrack> tracks, double fps, LabelPolicy policy, int folds, long seed) {
        List<String> labels = Emotion.DOMINANT_LABELS;
        Set<String> expressionNames = new LinkedHashSet<>();
        Map<String, List<EmotionLabels>> sampled = new TreeMap<>();
        tracks.forEach((participant, track) -> {
            LabelTimeline timeline = new LabelTimeline(track, LabelTimeline.Mode.NEAREST, 50);
            long last = track.samples().isEmpty() ? 0 : track.samples().get(track.samples().size() - 1)
                    .timestampMs();
            List<EmotionLabels> rows = new ArrayList<>();
            for (long i = 0; ; i++) {
                long ms = Math.round(i * 1000 / fps);
                if (ms > last) {
                    break;
                }
                Optional<EmotionLabels> l = timeline.at(ms);
                l.ifPresent(rows::add);
                l.map(EmotionLabels::expressions).ifPresent(m -> expressionNames.addAll(m.keySet()));
            }
            sampled.put(participant, rows);
        });
        List<String> names = EmotionLabels.AFFDEX_EXPRESSIONS.stream().filter(expressionNames::contains).toList();
        List<Balance> balance = new ArrayList<>();
        List<AuOracle.Example> examples = new ArrayList<>();
        long[][] table = new long[sampled.size()][labels.size()];
        long frames = 0;
        long excluded = 0;
        int p = 0;
        for (Map.Entry<String, List<EmotionLabels>> e : sampled.entrySet()) {
            Map<String, Long> classes = new LinkedHashMap<>();
            labels.forEach(l -> classes.put(l, 0L));
            long out = 0;
            for (EmotionLabels l : e.getValue()) {
                String dominant = policy.dominant(l);
                if (dominant == null) {
                    out++;
                    continue;
                }
                int y = labels.indexOf(dominant);
                classes.merge(dominant, 1L, Long::sum);
                table[p][y]++;
                if (!names.isEmpty()) {
                    double[] x = new double[names.size()];
                    for (int j = 0; j < x.length; j++) {
                        Double v = l.expressions() == null ? null : l.expressions().get(names.get(j));
                        x[j] = v == null ? 0 : v;
                    }
                    examples.add(new AuOracle.Example(e.getKey(), x, y));
                }
            }
            long n = e.getValue().size();
            balance.add(new Balance(e.getKey(), n, classes, out,
                    n == 0 ? Double.NaN : classes.get(Emotion.NEUTRAL) / (double) n));
            frames += n;
            excluded += out;
            p++;
        }
        AuOracle.CrossValidated oracle = folds > 0 && !examples.isEmpty() && sampled.size() >= 2
                ? AuOracle.crossValidate(examples, labels, folds, seed) : null;
        return new Result(sampled.size(), frames, excluded, balance, cramersV(table), names, oracle,
                List.copyOf(examples));
    }

    /**
     * The AU oracle cross-validated over given participant groups (e.g. the folds the models were cross-validated
     * on), from the annotation files sampled at {@code fps}.
     */
    public static AuOracle.CrossValidated oracle(Map<String, LabelTrack> tracks, double fps, LabelPolicy policy,
                                                 List<List<String>> groups) {
        Result r = of(tracks, fps, policy, 0, 0);
        return AuOracle.crossValidate(r.examples(), Emotion.DOMINANT_LABELS, groups);
    }

    /**
     * Cramér's V of a contingency table (rows: participants, columns: classes); empty rows and columns are
     * dropped. 0 when the class says nothing about the participant, 1 when it gives the participant away.
     */
    public static double cramersV(long[][] table) {
        List<Integer> rows = new ArrayList<>();
        List<Integer> cols = new ArrayList<>();
        long n = 0;
        long[] rowSum = new long[table.length];
        long[] colSum = new long[table.length == 0 ? 0 : table[0].length];
        for (int i = 0; i < table.length; i++) {
            for (int j = 0; j < table[i].length; j++) {
                rowSum[i] += table[i][j];
                colSum[j] += table[i][j];
                n += table[i][j];
            }
        }
        for (int i = 0; i < rowSum.length; i++) {
            if (rowSum[i] > 0) {
                rows.add(i);
            }
        }
        for (int j = 0; j < colSum.length; j++) {
            if (colSum[j] > 0) {
                cols.add(j);
            }
        }
        int min = Math.min(rows.size(), cols.size()) - 1;
        if (n == 0 || min < 1) {
            return 0;
        }
        double chi2 = 0;
        for (int i : rows) {
            for (int j : cols) {
                double expected = (double) rowSum[i] * colSum[j] / n;
                double d = table[i][j] - expected;
                chi2 += d * d / expected;
            }
        }
        return Math.sqrt(chi2 / (n * (double) min));
    }
}
