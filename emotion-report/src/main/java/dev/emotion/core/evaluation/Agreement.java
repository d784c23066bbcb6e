package dev.emotion.core.evaluation;

import dev.emotion.core.metrics.Bootstrap;
import dev.emotion.core.metrics.RegressionMetrics;

import dev.emotion.core.contract.Emotion;
import dev.emotion.core.contract.EmotionLabels;
import dev.emotion.core.labels.LabelPolicy;
import dev.emotion.core.labels.LabelSample;
import dev.emotion.core.labels.LabelTimeline;
import dev.emotion.core.labels.LabelTrack;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How well one per-frame trace agrees with another (a model's predictions with an AFFDEX export, or two facial-coding
 * systems), the way validation studies compare them: the traces aligned by timestamp after a lag search, then per
 * channel (each emotion, valence/engagement/attention and each AFFDEX expression that both files have) Pearson's r,
 * Lin's CCC and the MAE with 95 % block-bootstrap intervals (blocks of {@link #BLOCK_MS} of time, since neighbouring
 * frames are not independent), and the dominant emotion (the label policy applied to both sides alike) with its
 * agreement and Cohen's kappa.
 */
public final class Agreement {

    /** Resampling unit of the bootstrap: frames within this much time of each other stay together. */
    public static final long BLOCK_MS = 5_000;
    static final int REPLICATES = 500;

    /** One compared channel; MAE on the files' 0..100 scale (valence -100..100). */
    public record Channel(String name, int frames, double mae, double pearson, double ccc, Bootstrap.Interval maeCi,
                          Bootstrap.Interval pearsonCi, Bootstrap.Interval cccCi) {
    }

    /** The mean Pearson r over the emotions at one lag (positive lag: the first trace runs late). */
    public record LagScore(long lagMs, double meanPearson, int frames) {
    }

    /**
     * @param lagMs     the lag applied (the best of the search): a first-trace frame at t + lag is paired with the
     *                  reference frame at t
     * @param seconds   reference time of each aligned frame, for the timelines
     * @param traces    per channel, the aligned first and reference values (0..100) in that order
     */
    public record Result(long lagMs, List<LagScore> lagSearch, int alignedFrames, List<Channel> channels,
                         int dominantFrames, double dominantAgreement, double kappa, List<String> dominantLabels,
                         long[][] dominantConfusion, List<Double> seconds, Map<String, double[][]> traces) {
    }

    private record Pairs(List<Long> times, List<EmotionLabels> first, List<EmotionLabels> reference) {
    }

    private Agreement() {
    }

    /**
     * Compares {@code first} (e.g. predictions) with {@code reference} (e.g. AFFDEX), searching lags from
     * {@code -maxLagMs} to {@code +maxLagMs} in {@code stepMs}; frames pair when the first trace has a sample within
     * {@code toleranceMs} of the reference time plus the lag.
     */
    public static Result compare(LabelTrack first, LabelTrack reference, long maxLagMs, long stepMs,
                                 long toleranceMs) {
        if (stepMs <= 0 || maxLagMs < 0) {
            throw new IllegalArgumentException("the lag step must be positive and the maximum lag not negative");
        }
        LabelTimeline timeline = new LabelTimeline(first, LabelTimeline.Mode.NEAREST, toleranceMs);
        List<LagScore> search = new ArrayList<>();
        LagScore best = null;
        for (long lag = -maxLagMs; lag <= maxLagMs; lag += stepMs) {
            Pairs p = pairs(timeline, reference, lag);
            double r = meanEmotionPearson(p);
            LagScore s = new LagScore(lag, r, p.times().size());
            search.add(s);
            boolean better = best == null || (!Double.isNaN(r) && (Double.isNaN(best.meanPearson())
                    || r > best.meanPearson() + 1e-12
                    || (Math.abs(r - best.meanPearson()) <= 1e-12 && Math.abs(lag) < Math.abs(best.lagMs()))));
            if (better) {
                best = s;
            }
        }
        Pairs p = pairs(timeline, reference, best.lagMs());
        if (p.times().size() < 3) {
            throw new IllegalArgumentException("only " + p.times().size() + " frames pair up within "
                    + toleranceMs + " ms (first: " + first.firstMs() + "-" + first.lastMs() + " ms, reference: "
                    + reference.firstMs() + "-" + reference.lastMs() + " ms): are these two recordings of the same "
                    + "video, with timestamps in the same unit?");
        }
        List<String> groups = p.times().stream().map(t -> Long.toString(t / BLOCK_MS)).toList();
        Map<String, Function<EmotionLabels, Double>> channels = channels(p);
        List<Channel> out = new ArrayList<>();
        Map<String, double[][]> traces = new LinkedHashMap<>();
        for (Map.Entry<String, Function<EmotionLabels, Double>> c : channels.entrySet()) {
            Function<EmotionLabels, Double> f = c.getValue();
            Aligned x = Aligned.of(p.times().size(), i -> f.apply(p.first().get(i)) != null
                    && f.apply(p.reference().get(i)) != null, i -> f.apply(p.first().get(i)),
                    i -> f.apply(p.reference().get(i)));
            if (x == null) {
                continue;
            }
            out.add(channel(c.getKey(), x, x.rows().stream().map(groups::get).toList(), REPLICATES, 42));
            if (x.rows().size() == p.times().size()) {
                traces.put(c.getKey(), new double[][] {x.a(), x.b()});
            }
        }
        // dominant emotion, the same rule on both sides; frames either side leaves ambiguous are not counted
        List<String> labels = Emotion.DOMINANT_LABELS;
        long[][] confusion = new long[labels.size()][labels.size()];
        int n = 0;
        for (int i = 0; i < p.times().size(); i++) {
            String x = LabelPolicy.DEFAULT.dominant(p.first().get(i));
            String y = LabelPolicy.DEFAULT.dominant(p.reference().get(i));
            if (x != null && y != null) {
                confusion[labels.indexOf(y)][labels.indexOf(x)]++;
                n++;
            }
        }
        double[] ak = agreementAndKappa(confusion);
        List<Double> seconds = p.times().stream().map(t -> t / 1000.0).toList();
        return new Result(best.lagMs(), search, p.times().size(), out, n, ak[0], ak[1], labels, confusion, seconds,
                traces);
    }

    /**
     * A model's traces against the AFFDEX scores of the same frames, per emotion the model outputs (its class or
     * label probability vs the annotated score, both 0..100): Pearson r, CCC, MAE with 95 % intervals resampling
     * participants, then frames ({@link Bootstrap}). Frames without annotated scores are left out.
     */
    public static List<Channel> perEmotion(List<String> labels, double[][] probabilities, List<float[]> annotated,
                                           List<String> participants, int replicates, long seed) {
        List<Channel> out = new ArrayList<>();
        for (Emotion e : Emotion.values()) {
            int column = labels.indexOf(e.label());
            if (column < 0) {
                continue;
            }
            Aligned x = Aligned.of(probabilities.length, i -> annotated.get(i) != null
                    && !Float.isNaN(annotated.get(i)[e.ordinal()]), i -> probabilities[i][column],
                    i -> annotated.get(i)[e.ordinal()]);
            if (x != null) {
                out.add(channel(e.label(), x, x.rows().stream().map(participants::get).toList(), replicates, seed));
            }
        }
        return out;
    }

    /** Two traces (0..100) over the rows where both have a value. */
    private record Aligned(List<Integer> rows, double[] a, double[] b) {

        /** The rows where {@code present}, values x 100; null when fewer than 3. */
        static Aligned of(int n, java.util.function.IntPredicate present, java.util.function.IntToDoubleFunction first,
                          java.util.function.IntToDoubleFunction second) {
            List<Integer> rows = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (present.test(i)) {
                    rows.add(i);
                }
            }
            if (rows.size() < 3) {
                return null;
            }
            double[] a = new double[rows.size()];
            double[] b = new double[rows.size()];
            for (int k = 0; k < rows.size(); k++) {
                a[k] = 100 * first.applyAsDouble(rows.get(k));
                b[k] = 100 * second.applyAsDouble(rows.get(k));
            }
            return new Aligned(rows, a, b);
        }
    }

    /** r, CCC and MAE of two aligned traces with bootstrap intervals resampling {@code groups}. */
    private static Channel channel(String name, Aligned aligned, List<String> groups, int replicates, long seed) {
        double[] a = aligned.a();
        double[] b = aligned.b();
        RegressionMetrics m = RegressionMetrics.of(a, b);
        Map<String, Bootstrap.Interval> ci = Bootstrap.intervals(groups, sel -> {
            double[] x = new double[sel.length];
            double[] y = new double[sel.length];
            for (int k = 0; k < sel.length; k++) {
                x[k] = a[sel[k]];
                y[k] = b[sel[k]];
            }
            RegressionMetrics r = RegressionMetrics.of(x, y);
            return Map.of("mae", r.mae(), "pearson", r.pearson(), "ccc", r.ccc());
        }, replicates, seed);
        return new Channel(name, a.length, m.mae(), m.pearson(), m.ccc(), ci.get("mae"), ci.get("pearson"),
                ci.get("ccc"));
    }

    /** {@code v [low, high]} with {@code decimals} places; just {@code v} without an interval. */
    public static String withInterval(double v, Bootstrap.Interval i, int decimals) {
        String f = "%." + decimals + "f";
        return i == null ? String.format(java.util.Locale.ROOT, f, v) : String.format(java.util.Locale.ROOT,
                f + " [" + f + ", " + f + "]", v, i.low(), i.high());
    }

    /**
     * Writes {@code out/index.html}: the lag, the dominant emotion's agreement, the channel table and one timeline
     * PNG per channel present on every aligned frame ({@code timeline-<channel>.png}).
     */
    public static java.nio.file.Path writePage(Result r, java.nio.file.Path out, String firstName,
                                               String referenceName) throws java.io.IOException {
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>Agreement</title><style>body{font-family:sans-serif;margin:2em;max-width:1100px}"
                + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}"
                + "td:first-child{text-align:left}img{max-width:100%}</style></head><body>\n<h1>");
        html.append(HtmlReport.esc(firstName)).append(" vs ").append(HtmlReport.esc(referenceName))
                .append("</h1>\n<p>Best lag ").append(r.lagMs()).append(" ms; ").append(r.alignedFrames())
                .append(" frames aligned. Dominant ").append(String.format(java.util.Locale.ROOT,
                        "emotion: agreement %.3f, Cohen's kappa %.3f over %d frames.", r.dominantAgreement(),
                        r.kappa(), r.dominantFrames())).append("</p>\n<table><tr><th>channel</th><th>frames</th>"
                        + "<th>Pearson r</th><th>CCC</th><th>MAE (0..100)</th></tr>\n");
        for (Channel c : r.channels()) {
            html.append("<tr><td>").append(HtmlReport.esc(c.name())).append("</td><td>").append(c.frames())
                    .append("</td><td>").append(withInterval(c.pearson(), c.pearsonCi(), 3)).append("</td><td>")
                    .append(withInterval(c.ccc(), c.cccCi(), 3)).append("</td><td>")
                    .append(withInterval(c.mae(), c.maeCi(), 1)).append("</td></tr>\n");
        }
        html.append("</table>\n");
        for (Map.Entry<String, double[][]> t : r.traces().entrySet()) {
            String png = "timeline-" + t.getKey().toLowerCase(java.util.Locale.ROOT).replace(' ', '-') + ".png";
            ReportCharts.traces(out.resolve(png), t.getKey(), r.seconds(), "first: " + firstName, t.getValue()[0],
                    "reference: " + referenceName, t.getValue()[1]);
            html.append("<img src=\"").append(png).append("\" alt=\"").append(HtmlReport.esc(t.getKey()))
                    .append("\">\n");
        }
        html.append("</body></html>\n");
        return java.nio.file.Files.writeString(out.resolve("index.html"), html);
    }

    /** Observed agreement and Cohen's kappa of a confusion matrix (rows: reference, columns: first). */
    static double[] agreementAndKappa(long[][] c) {
        long total = 0;
        long diagonal = 0;
        int k = c.length;
        long[] rows = new long[k];
        long[] cols = new long[k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                total += c[i][j];
                rows[i] += c[i][j];
                cols[j] += c[i][j];
                diagonal += i == j ? c[i][j] : 0;
            }
        }
        if (total == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double po = (double) diagonal / total;
        double pe = 0;
        for (int i = 0; i < k; i++) {
            pe += (double) rows[i] / total * cols[i] / total;
        }
        return new double[] {po, pe >= 1 ? Double.NaN : (po - pe) / (1 - pe)};
    }

    private static Pairs pairs(LabelTimeline first, LabelTrack reference, long lag) {
        List<Long> times = new ArrayList<>();
        List<EmotionLabels> a = new ArrayList<>();
        List<EmotionLabels> b = new ArrayList<>();
        for (LabelSample s : reference.samples()) {
            if (s.isGap()) {
                continue;
            }
            first.at(s.timestampMs() + lag).ifPresent(x -> {
                times.add(s.timestampMs());
                a.add(x);
                b.add(s.labels());
            });
        }
        return new Pairs(times, a, b);
    }

    private static double meanEmotionPearson(Pairs p) {
        if (p.times().size() < 3) {
            return Double.NaN;
        }
        double sum = 0;
        int used = 0;
        for (Emotion e : Emotion.values()) {
            double[] x = new double[p.times().size()];
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = value(p.first().get(i), e);
                y[i] = value(p.reference().get(i), e);
            }
            double r = RegressionMetrics.pearson(x, y);
            if (!Double.isNaN(r)) {
                sum += r;
                used++;
            }
        }
        return used == 0 ? Double.NaN : sum / used;
    }

    private static double value(EmotionLabels l, Emotion e) {
        Double v = l.emotions().get(e);
        return v == null ? 0 : v;
    }

    /** The channels both traces carry: the 7 emotions, valence, engagement, attention, AFFDEX's expressions. */
    private static Map<String, Function<EmotionLabels, Double>> channels(Pairs p) {
        Map<String, Function<EmotionLabels, Double>> c = new LinkedHashMap<>();
        for (Emotion e : Emotion.values()) {
            c.put(e.label(), l -> l.emotions().get(e));
        }
        c.put("valence", EmotionLabels::valence);
        c.put("engagement", EmotionLabels::engagement);
        c.put("attention", EmotionLabels::attention);
        for (String x : EmotionLabels.AFFDEX_EXPRESSIONS) {
            c.put(x, l -> l.expressions() == null ? null : l.expressions().get(x));
        }
        return c;
    }
}
