package dev.emotion.core.contract;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A state change of one evaluation on {@link Topic#EVALUATION_PROGRESS}: which models it scores, per model what
 * happened so far, and at the end the report URL and the recommended model, or the error. An evaluation's status
 * is the fold of its events, so any evaluation-service replica answers a status query; {@code worker} names the
 * instance that ran it.
 */
public record EvaluationProgress(Integer version, String evaluationId, String studyId, List<String> modelIds,
                                 JobState state, Map<String, String> models, String reportUrl,
                                 String recommendedModelId, String error, Instant submittedAt, Instant finishedAt,
                                 String worker, Instant at) implements Contract {

    @Override
    public void validate(Violations v) {
        Contract.checkVersion(v, version);
        v.notBlank("evaluationId", evaluationId);
        v.notBlank("studyId", studyId);
        v.required("modelIds", modelIds);
        v.required("state", state);
        v.required("models", models);
        if (state == JobState.FAILED) {
            v.notBlank("error", error);
        }
        v.required("submittedAt", submittedAt);
        v.required("at", at);
    }
}
