package dev.emotion.core.contract;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A state change of one cross-validation on {@link Topic#TRAINING_CROSSVAL_PROGRESS}: queued, then one event per
 * finished fold (the folds so far, with their test metrics), then completed with the mean and standard deviation
 * over folds (the whole record also goes to {@link Topic#TRAINING_CROSSVAL}) or failed with the reason. Its status is
 * the fold of its events, so any training-service replica answers a status query, and a worker that takes the job
 * over from one that stopped skips the folds already done. {@code worker} names the instance that ran it.
 */
public record CrossValidationProgress(Integer version, String crossValidationId, String studyId, Architecture model,
                                      Task task, JobState state, Integer foldsTotal,
                                      List<CrossValidation.Fold> folds, Map<String, Double> mean,
                                      Map<String, Double> std, String message, String worker, Instant submittedAt,
                                      Instant at) implements Contract {

    @Override
    public void validate(Violations v) {
        Contract.checkVersion(v, version);
        v.notBlank("crossValidationId", crossValidationId);
        v.notBlank("studyId", studyId);
        v.required("model", model);
        v.required("task", task);
        v.required("state", state);
        v.range("foldsTotal", foldsTotal, 1, 10_000);
        if (v.required("folds", folds)) {
            CrossValidation.checkFolds(v, folds);
            if (foldsTotal != null && folds.size() > foldsTotal) {
                v.add("folds", "holds " + folds.size() + " folds, more than foldsTotal " + foldsTotal);
            }
        }
        v.required("mean", mean);
        v.required("std", std);
        if (state == JobState.FAILED) {
            v.notBlank("message", message);
        }
        v.required("submittedAt", submittedAt);
        v.required("at", at);
    }
}
