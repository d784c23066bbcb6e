package dev.emotion.core.evaluation;

import dev.emotion.core.metrics.AuOracle;
import dev.emotion.core.metrics.ClassificationMetrics;

import dev.emotion.core.contract.CrossValidation;
import dev.emotion.core.contract.EmotionLabels;
import dev.emotion.core.contract.Emotion;
import dev.emotion.core.contract.Task;
import dev.emotion.core.store.Sample;
import dev.emotion.core.training.Trainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The AU oracle of a study, as the report shows it: fitted on the training split's annotated expressions and
 * scored on the test split (the models' own split), and cross-validated over the same participant groups as the
 * study's latest dominant-emotion cross-validation (or 5 groups by participant when there is none).
 *
 * @param expressions the expression columns it read
 * @param test        on the test split, or null when the split has no expressions
 * @param scheme      how the cross-validation grouped participants
 */
public record LabelCeiling(List<String> expressions, Test test, String scheme, AuOracle.CrossValidated crossValidated) {

    /** The oracle on the models' test split. */
    public record Test(int trainSamples, int testSamples, double macroF1, double balancedAccuracy, double accuracy) {
    }

    /**
     * @return the ceiling, or null when the annotations carry no expression columns (nothing to fit on)
     */
    public static LabelCeiling of(List<Sample> train, List<Sample> validation, List<Sample> test,
                                  List<CrossValidation> crossValidations, long seed) {
        List<Sample> usableTrain = withExpressions(train);
        List<Sample> usableTest = withExpressions(test);
        List<Sample> everyone = new ArrayList<>(usableTrain);
        everyone.addAll(withExpressions(validation));
        everyone.addAll(usableTest);
        if (everyone.isEmpty()) {
            return null;
        }
        Set<String> present = new LinkedHashSet<>();
        everyone.forEach(s -> present.addAll(s.expressions().keySet()));
        List<String> names = EmotionLabels.AFFDEX_EXPRESSIONS.stream().filter(present::contains).toList();
        List<String> labels = Emotion.DOMINANT_LABELS;
        Test onTest = null;
        if (!usableTrain.isEmpty() && !usableTest.isEmpty()) {
            ClassificationMetrics m = AuOracle.evaluate(examples(usableTrain, names), examples(usableTest, names),
                    labels);
            onTest = new Test(usableTrain.size(), usableTest.size(), m.macroF1(), m.balancedAccuracy(), m.accuracy());
        }
        List<AuOracle.Example> all = examples(everyone, names);
        CrossValidation latest = crossValidations.stream().filter(cv -> cv.task() == Task.EMOTION_CLASS)
                .max(java.util.Comparator.comparing(CrossValidation::createdAt)).orElse(null);
        long people = everyone.stream().map(Sample::participantId).distinct().count();
        AuOracle.CrossValidated cv = null;
        String scheme = null;
        if (latest != null) {
            List<List<String>> groups = latest.folds().stream()
                    .map(f -> Arrays.asList(f.participantId().split("\\+"))).toList();
            cv = AuOracle.crossValidate(all, labels, groups);
            scheme = latest.scheme() + " (the folds of " + latest.crossValidationId() + ")";
        } else if (people >= 2) {
            cv = AuOracle.crossValidate(all, labels, 5, seed);
            scheme = "participant-grouped-" + Math.min(5, people) + "-fold";
        }
        return new LabelCeiling(names, onTest, scheme, cv);
    }

    private static List<Sample> withExpressions(List<Sample> samples) {
        return Trainer.usable(samples, Task.EMOTION_CLASS).stream()
                .filter(s -> s.expressions() != null && !s.expressions().isEmpty()).toList();
    }

    private static List<AuOracle.Example> examples(List<Sample> samples, List<String> names) {
        List<AuOracle.Example> out = new ArrayList<>(samples.size());
        for (Sample s : samples) {
            double[] x = new double[names.size()];
            for (int j = 0; j < x.length; j++) {
                Double v = s.expressions().get(names.get(j));
                x[j] = v == null ? 0 : v;
            }
            out.add(new AuOracle.Example(s.participantId(), x, s.dominant()));
        }
        return out;
    }
}
