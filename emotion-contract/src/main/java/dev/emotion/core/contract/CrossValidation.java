package dev.emotion.core.contract;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A finished leave-one-participant-out cross-validation of one architecture on one study, on
 * {@link Topic#TRAINING_CROSSVAL}: per held-out participant (fold) the metrics of a model trained without that
 * person, then the mean and the standard deviation over folds, which say how the architecture does on people it
 * has never seen.
 */
public record CrossValidation(Integer version, String crossValidationId, String studyId, Architecture architecture,
                              Task task, String scheme, List<Fold> folds, Map<String, Double> mean,
                              Map<String, Double> std, Map<String, Object> config, Instant createdAt)
        implements Contract {

    /**
     * One fold: the held-out participant (several joined by "+" under grouped K-fold), the one(s) used for early
     * stopping, sizes and test metrics.
     */
    public record Fold(String participantId, String validationParticipantId, Integer trainSamples,
                       Integer testSamples, Map<String, Double> metrics) {
    }

    /** Each fold names its held-out participant(s), has samples on both sides and finite metrics. */
    static void checkFolds(Violations v, List<Fold> folds) {
        for (int i = 0; i < folds.size(); i++) {
            Violations f = v.at("folds[" + i + "]");
            Fold fold = folds.get(i);
            if (!f.required("", fold)) {
                continue;
            }
            f.notBlank("participantId", fold.participantId());
            f.range("trainSamples", fold.trainSamples(), 1, Double.MAX_VALUE);
            f.range("testSamples", fold.testSamples(), 1, Double.MAX_VALUE);
            if (f.required("metrics", fold.metrics())) {
                fold.metrics().forEach((name, value) -> f.range("metrics." + name, value, -Double.MAX_VALUE,
                        Double.MAX_VALUE));
            }
        }
    }

    @Override
    public void validate(Violations v) {
        Contract.checkVersion(v, version);
        v.notBlank("crossValidationId", crossValidationId);
        v.notBlank("studyId", studyId);
        v.required("architecture", architecture);
        v.required("task", task);
        v.notBlank("scheme", scheme);
        if (v.notEmpty("folds", folds)) {
            checkFolds(v, folds);
        }
        for (var e : Map.of("mean", mean == null ? Map.<String, Double>of() : mean, "std",
                std == null ? Map.<String, Double>of() : std).entrySet()) {
            e.getValue().forEach((name, value) -> v.range(e.getKey() + "." + name, value, -Double.MAX_VALUE,
                    Double.MAX_VALUE));
        }
        v.required("mean", mean);
        v.required("std", std);
        v.required("createdAt", createdAt);
    }
}
