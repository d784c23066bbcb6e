package dev.emotion.core.contract;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The evaluation of a study's models on held-out participants, on {@link Topic#EVALUATION_REPORTS}, with the
 * model recommended for deployment and why.
 */
public record EvaluationReport(Integer version, String studyId, String evaluationId, List<ModelScore> models,
                               String reportUrl, String recommendedModelId, String recommendationReason,
                               Instant createdAt) implements Contract {

    /** A metric's 95 % confidence interval. */
    public record Interval(Double low, Double high) {
    }

    public record ModelScore(String modelId, Architecture architecture, Task task, Map<String, Double> metrics,
                             Map<String, Interval> confidenceIntervals) {
    }

    @Override
    public void validate(Violations v) {
        Contract.checkVersion(v, version);
        v.notBlank("studyId", studyId);
        v.notBlank("evaluationId", evaluationId);
        if (v.notEmpty("models", models)) {
            for (int i = 0; i < models.size(); i++) {
                Violations m = v.at("models[" + i + "]");
                ModelScore s = models.get(i);
                if (!m.required("", s)) {
                    continue;
                }
                m.notBlank("modelId", s.modelId());
                m.required("architecture", s.architecture());
                m.required("task", s.task());
                if (m.required("metrics", s.metrics())) {
                    s.metrics().forEach((name, value) -> m.range("metrics." + name, value,
                            -Double.MAX_VALUE, Double.MAX_VALUE));
                }
                if (s.confidenceIntervals() != null) {
                    s.confidenceIntervals().forEach((name, ci) -> {
                        if (m.required("confidenceIntervals." + name, ci)) {
                            m.range("confidenceIntervals." + name + ".low", ci.low(), -Double.MAX_VALUE,
                                    Double.MAX_VALUE);
                            m.range("confidenceIntervals." + name + ".high", ci.high(), -Double.MAX_VALUE,
                                    Double.MAX_VALUE);
                            if (ci.low() != null && ci.high() != null && ci.low() > ci.high()) {
                                m.add("confidenceIntervals." + name, "low " + ci.low() + " > high " + ci.high());
                            }
                        }
                    });
                }
            }
        }
        v.notBlank("reportUrl", reportUrl);
        if (recommendedModelId != null && models != null
                && models.stream().noneMatch(s -> s != null && recommendedModelId.equals(s.modelId()))) {
            v.add("recommendedModelId", "'" + recommendedModelId + "' is not among the evaluated models");
        }
        if (recommendedModelId != null) {
            v.notBlank("recommendationReason", recommendationReason);
        }
        v.required("createdAt", createdAt);
    }
}
