package dev.emotion.core.evaluation;

import dev.emotion.core.contract.Task;
import dev.emotion.core.metrics.Bootstrap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The rule that picks the model to deploy, explained in words. It looks at the validation split only (people
 * neither trained on nor in the test split): the test figures are reported after the choice and never make it.
 * Among the trained models that output emotion probabilities (dominant-emotion classifiers and the affect models'
 * class head, on the same frames), the best validation macro-F1 leads; the others are compared with it by a paired
 * participant bootstrap of the macro-F1 difference (participants resampled, then frames within each: the unit is the
 * person), Holm-corrected across the pairs, and those not significantly worse are tied with it. A tied model is
 * recommended only when its validation macro-F1 interval lies above chance (1 / the classes shown) and its paired
 * difference with the zero-training baseline lies above 0; of those, the fastest (p50 latency) wins. When none
 * qualifies nothing is recommended, with the reason, and serving keeps what it served.
 */
public record Recommendation(String modelId, String reason, List<String> tiedWithBest, String selectedOn,
                             List<PairedTest> pairedTests) {

    static final int REPLICATES = 1000;
    static final long SEED = 42;
    static final double ALPHA = 0.05;

    /**
     * One paired comparison on the validation frames: {@code model}'s macro-F1 minus {@code against}'s, its 95 %
     * bootstrap interval, the two-sided bootstrap p-value and (comparisons with the best) the Holm-adjusted one.
     */
    public record PairedTest(String model, String against, double difference, Bootstrap.Interval interval,
                             double pValue, Double holmP) {
    }

    public static Recommendation choose(List<ModelEvaluator.ModelResult> results) {
        List<ModelEvaluator.ModelResult> classifiers = results.stream()
                .filter(r -> r.task() == Task.EMOTION_CLASS || r.task() == Task.AFFECT)
                .filter(r -> r.metrics().containsKey("macro_f1")).toList();
        if (!classifiers.isEmpty()) {
            return chooseClassifier(classifiers);
        }
        List<ModelEvaluator.ModelResult> multilabel = results.stream()
                .filter(r -> r.task() == Task.EMOTION_MULTILABEL && r.validation() != null
                        && r.validation().containsKey("macro_f1")).toList();
        if (!multilabel.isEmpty()) {
            ModelEvaluator.ModelResult best = multilabel.stream()
                    .max(Comparator.comparingDouble(r -> r.validation().get("macro_f1"))).orElseThrow();
            return new Recommendation(best.modelId(), String.format(Locale.ROOT, "%s has the best validation macro-F1"
                    + " among emotion_multilabel models (%.3f); no dominant-emotion classifier was evaluated, so it"
                    + " was not compared with chance or the zero-training baseline", best.modelId(),
                    best.validation().get("macro_f1")), List.of(best.modelId()), "validation", List.of());
        }
        boolean anyEmotion = results.stream().anyMatch(r -> r.task() == Task.EMOTION_MULTILABEL);
        return none(anyEmotion ? "no emotion_multilabel model was scored on a validation split: the choice is made "
                + "on validation people only, never on the test split it reports; ingest the study with a validation"
                + " split" : "no evaluated model outputs emotion probabilities (emotion_class, affect or "
                + "emotion_multilabel): nothing to deploy for scoring", List.of());
    }

    private static Recommendation chooseClassifier(List<ModelEvaluator.ModelResult> candidates) {
        List<ModelEvaluator.ModelResult> scored = candidates.stream().filter(r -> r.selection() != null).toList();
        List<ModelEvaluator.ModelResult> trained = scored.stream().filter(r -> r.architecture().trained()).toList();
        if (trained.isEmpty()) {
            return none(scored.isEmpty() ? "no classifier was scored on a validation split: the choice is made on "
                    + "validation people only, never on the test split it reports; ingest the study with a validation"
                    + " split (./emotion ingest --split auto, or a labels.csv with a split column)"
                    : "only the zero-training baseline was evaluated: there is no trained model to recommend; serving"
                    + " keeps what it served", List.of());
        }
        ModelEvaluator.ModelResult best = trained.stream()
                .max(Comparator.comparingDouble(r -> r.validation().getOrDefault("macro_f1", 0.0))).orElseThrow();
        ModelEvaluator.Selection reference = best.selection();
        List<ModelEvaluator.ModelResult> comparable = trained.stream()
                .filter(r -> r.selection().sampleIds().equals(reference.sampleIds())).toList();
        ModelEvaluator.ModelResult baseline = scored.stream().filter(r -> !r.architecture().trained())
                .filter(r -> r.selection().sampleIds().equals(reference.sampleIds())).findFirst().orElse(null);
        List<PairedTest> tests = new ArrayList<>();
        List<ModelEvaluator.ModelResult> others = comparable.stream().filter(r -> r != best).toList();
        List<PairedTest> againstBest = new ArrayList<>();
        for (ModelEvaluator.ModelResult other : others) {
            againstBest.add(paired(best, other));
        }
        List<Double> holm = holm(againstBest.stream().map(PairedTest::pValue).toList());
        List<String> tied = new ArrayList<>(List.of(best.modelId()));
        for (int i = 0; i < againstBest.size(); i++) {
            PairedTest t = againstBest.get(i);
            tests.add(new PairedTest(t.model(), t.against(), t.difference(), t.interval(), t.pValue(), holm.get(i)));
            if (holm.get(i) >= ALPHA) {
                tied.add(t.against());
            }
        }
        int classes = (int) Arrays.stream(reference.truth()).distinct().count();
        double chance = 1.0 / Math.max(1, classes);
        List<String> refusals = new ArrayList<>();
        List<ModelEvaluator.ModelResult> qualified = new ArrayList<>();
        for (ModelEvaluator.ModelResult m : comparable) {
            if (!tied.contains(m.modelId())) {
                continue;
            }
            Bootstrap.Interval own = interval(m.selection());
            if (own.low() <= chance) {
                refusals.add(String.format(Locale.ROOT, "%s's validation macro-F1 %.3f (95 %% CI %.3f-%.3f) does "
                                + "not lie above chance (%.3f, %d classes)", m.modelId(),
                        m.validation().get("macro_f1"), own.low(), own.high(), chance, classes));
                continue;
            }
            if (baseline == null) {
                refusals.add(m.modelId() + " was not compared with the zero-training baseline (not evaluated on "
                        + "the same validation frames): evaluate face_expression_baseline with it");
                continue;
            }
            PairedTest vsBaseline = paired(m, baseline);
            tests.add(vsBaseline);
            if (vsBaseline.interval().low() <= 0) {
                refusals.add(String.format(Locale.ROOT, "%s is not better than the zero-training baseline %s on "
                                + "validation people (macro-F1 difference %+.3f, 95 %% CI %+.3f to %+.3f)",
                        m.modelId(), baseline.modelId(), vsBaseline.difference(), vsBaseline.interval().low(),
                        vsBaseline.interval().high()));
                continue;
            }
            qualified.add(m);
        }
        if (qualified.isEmpty()) {
            return new Recommendation(null, "no model recommended: " + String.join("; ", refusals)
                    + ". Serving keeps the model it served (or the baseline).", List.copyOf(tied), "validation",
                    List.copyOf(tests));
        }
        ModelEvaluator.ModelResult chosen = qualified.stream()
                .min(Comparator.comparingDouble(r -> r.efficiency().latencyP50Ms())).orElseThrow();
        double bestF1 = best.validation().get("macro_f1");
        String beatsBaseline = tests.stream().filter(t -> t.model().equals(chosen.modelId())
                        && baseline.modelId().equals(t.against())).findFirst()
                .map(t -> String.format(Locale.ROOT, "it beats the zero-training baseline by %+.3f (95 %% CI %+.3f "
                        + "to %+.3f) and chance (%.3f)", t.difference(), t.interval().low(), t.interval().high(),
                        chance)).orElse("");
        Double test = chosen.metrics().get("macro_f1");
        String testPart = test == null ? "" : String.format(Locale.ROOT, "; on the test split, scored after the "
                + "choice, its macro-F1 is %.3f", test);
        String reason;
        if (chosen == best) {
            reason = String.format(Locale.ROOT, "%s has the best validation macro-F1 among emotion_class/affect models"
                    + " (%.3f); %s%s%s", chosen.modelId(), bestF1, beatsBaseline,
                    tied.size() > 1 ? String.format(Locale.ROOT, "; %d model(s) are not significantly worse "
                            + "(paired participant bootstrap, Holm) and it is the fastest of them", tied.size() - 1)
                            : "", testPart);
        } else {
            reason = String.format(Locale.ROOT, "%s (validation macro-F1 %.3f) is not significantly worse than the "
                            + "best, %s (%.3f; paired participant bootstrap, Holm-corrected), and is the fastest of "
                            + "the %d tied models (p50 %.1f ms vs %.1f ms); %s%s", chosen.modelId(),
                    chosen.validation().get("macro_f1"), best.modelId(), bestF1, tied.size(),
                    chosen.efficiency().latencyP50Ms(), best.efficiency().latencyP50Ms(), beatsBaseline, testPart);
        }
        return new Recommendation(chosen.modelId(), reason, List.copyOf(tied), "validation", List.copyOf(tests));
    }

    private static Recommendation none(String reason, List<String> tied) {
        return new Recommendation(null, "no model recommended: " + reason, tied, "validation", List.of());
    }

    /** {@code a}'s validation macro-F1 minus {@code b}'s on the same frames, resampled by participant. */
    static PairedTest paired(ModelEvaluator.ModelResult a, ModelEvaluator.ModelResult b) {
        ModelEvaluator.Selection x = a.selection();
        ModelEvaluator.Selection y = b.selection();
        int all = x.truth().length;
        double observed = macroF1(x.truth(), x.predicted(), null) - macroF1(y.truth(), y.predicted(), null);
        double[] d = Bootstrap.replicates(x.groups(), idx -> macroF1(x.truth(), x.predicted(), idx)
                - macroF1(y.truth(), y.predicted(), idx), REPLICATES, SEED);
        Arrays.sort(d);
        long atOrBelow = Arrays.stream(d).filter(v -> v <= 0).count();
        long atOrAbove = Arrays.stream(d).filter(v -> v >= 0).count();
        double p = Math.min(1.0, 2.0 * Math.min(atOrBelow, atOrAbove) / d.length);
        return new PairedTest(a.modelId(), b.modelId(), observed, new Bootstrap.Interval(
                Bootstrap.percentile(d, 0.025), Bootstrap.percentile(d, 0.975)), all == 0 ? 1.0 : p, null);
    }

    private static Bootstrap.Interval interval(ModelEvaluator.Selection s) {
        double[] v = Bootstrap.replicates(s.groups(), idx -> macroF1(s.truth(), s.predicted(), idx), REPLICATES,
                SEED);
        Arrays.sort(v);
        return new Bootstrap.Interval(Bootstrap.percentile(v, 0.025), Bootstrap.percentile(v, 0.975));
    }

    /**
     * Macro-F1 over the classes in the truth or the predictions of the rows {@code idx} (null: all rows), as the
     * headline metric computes it; counts only, for the thousands of resamples.
     */
    static double macroF1(int[] truth, int[] predicted, int[] idx) {
        int k = 0;
        for (int i = 0; i < truth.length; i++) {
            k = Math.max(k, Math.max(truth[i], predicted[i]) + 1);
        }
        long[] tp = new long[k];
        long[] support = new long[k];
        long[] called = new long[k];
        int n = idx == null ? truth.length : idx.length;
        for (int j = 0; j < n; j++) {
            int i = idx == null ? j : idx[j];
            support[truth[i]]++;
            called[predicted[i]]++;
            if (truth[i] == predicted[i]) {
                tp[truth[i]]++;
            }
        }
        double sum = 0;
        int present = 0;
        for (int c = 0; c < k; c++) {
            if (support[c] == 0 && called[c] == 0) {
                continue;
            }
            present++;
            double precision = called[c] == 0 ? 0 : (double) tp[c] / called[c];
            double recall = support[c] == 0 ? 0 : (double) tp[c] / support[c];
            sum += precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        }
        return present == 0 ? Double.NaN : sum / present;
    }

    /** Holm's step-down adjustment of {@code p} (same order out). */
    static List<Double> holm(List<Double> p) {
        int m = p.size();
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(p::get));
        Double[] adjusted = new Double[m];
        double running = 0;
        for (int r = 0; r < m; r++) {
            running = Math.max(running, Math.min(1.0, (m - r) * p.get(order[r])));
            adjusted[order[r]] = running;
        }
        return Arrays.asList(adjusted);
    }
}
