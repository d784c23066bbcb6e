package dev.emotion.core.contract;

import java.net.URI;
import java.time.Instant;
import java.util.Map;

/** A trained model entered in the registry, on {@link Topic#MODELS_TRAINED}; its artifact is served over HTTP. */
public record ModelTrained(Integer version, String modelId, String trainingId, String studyId,
                           Architecture architecture, Task task, Map<String, Object> config, String artifactUrl,
                           Map<String, Double> valMetrics, Long totalParameters, Long trainableParameters,
                           Instant createdAt) implements Contract {

    @Override
    public void validate(Violations v) {
        Contract.checkVersion(v, version);
        v.notBlank("modelId", modelId);
        v.notBlank("trainingId", trainingId);
        v.notBlank("studyId", studyId);
        v.required("architecture", architecture);
        v.required("task", task);
        v.required("config", config);
        if (v.notBlank("artifactUrl", artifactUrl)) {
            try {
                URI uri = URI.create(artifactUrl);
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                    v.add("artifactUrl", "'" + artifactUrl + "' is not an http(s) URL");
                }
            } catch (IllegalArgumentException e) {
                v.add("artifactUrl", "'" + artifactUrl + "' is not a URL: " + e.getMessage());
            }
        }
        if (v.required("valMetrics", valMetrics)) {
            valMetrics.forEach((name, value) -> v.range("valMetrics." + name, value,
                    -Double.MAX_VALUE, Double.MAX_VALUE));
        }
        v.range("totalParameters", totalParameters, 1, Double.MAX_VALUE);
        v.nonNegative("trainableParameters", trainableParameters);
        if (totalParameters != null && trainableParameters != null && trainableParameters > totalParameters) {
            v.add("trainableParameters", trainableParameters + " is more than totalParameters ("
                    + totalParameters + ")");
        }
        v.required("createdAt", createdAt);
    }
}
