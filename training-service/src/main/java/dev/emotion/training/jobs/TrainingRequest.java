package dev.emotion.training.jobs;

/**
 * {@code POST /api/v1/trainings}: what to train on what. Only {@code studyId}, {@code model} and {@code task} are
 * required; the rest default to the architecture's spec (see README).
 */
public record TrainingRequest(String studyId, String model, String task, Integer epochs, Integer batchSize,
                              Integer gradAccum, Float learningRate, Float weightDecay, Integer patience, Long seed,
                              Boolean augment, Boolean allowRandomInit) {
}
