package dev.emotion.core.contract;

import java.time.Instant;
import java.util.Map;

/**
 * One epoch (or state change) of a training run on {@link Topic#TRAINING_PROGRESS}; {@code worker} names the
 * training-service instance that ran it (absent on the queued event and in older records).
 */
public record TrainingProgress(Integer version, String trainingId, String studyId, Architecture model, Task task,
                               JobState state, Integer epoch, Integer epochs, Long step, Double trainLoss,
                               Double valLoss, Map<String, Double> valMetrics, Double learningRate,
                               Double imagesPerSecond, String message, Instant at, String worker)
        implements Contract {

    /** Without the worker. */
    public TrainingProgress(Integer version, String trainingId, String studyId, Architecture model, Task task,
                            JobState state, Integer epoch, Integer epochs, Long step, Double trainLoss,
                            Double valLoss, Map<String, Double> valMetrics, Double learningRate,
                            Double imagesPerSecond, String message, Instant at) {
        this(version, trainingId, studyId, model, task, state, epoch, epochs, step, trainLoss, valLoss, valMetrics,
                learningRate, imagesPerSecond, message, at, null);
    }

    @Override
    public void validate(Violations v) {
        Contract.checkVersion(v, version);
        v.notBlank("trainingId", trainingId);
        v.notBlank("studyId", studyId);
        v.required("model", model);
        v.required("task", task);
        v.required("state", state);
        v.nonNegative("epoch", epoch);
        v.range("epochs", epochs, 1, 100_000);
        if (epoch != null && epochs != null && epoch > epochs) {
            v.add("epoch", epoch + " is beyond epochs (" + epochs + ")");
        }
        v.nonNegative("step", step);
        v.rangeIfPresent("trainLoss", trainLoss, 0, Double.MAX_VALUE);
        v.rangeIfPresent("valLoss", valLoss, 0, Double.MAX_VALUE);
        if (valMetrics != null) {
            valMetrics.forEach((name, value) -> v.rangeIfPresent("valMetrics." + name, value,
                    -Double.MAX_VALUE, Double.MAX_VALUE));
        }
        v.rangeIfPresent("learningRate", learningRate, 0, 10);
        v.rangeIfPresent("imagesPerSecond", imagesPerSecond, 0, Double.MAX_VALUE);
        if (state == JobState.FAILED) {
            v.notBlank("message", message);
        }
        v.required("at", at);
    }
}
