package dev.emotion.core.contract;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One valid record of every contract, for tests. */
public final class Samples {

    public static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F',
            (byte) 0xFF, (byte) 0xD9};
    public static final Instant AT = Instant.parse("2026-11-24T12:00:00Z");

    private Samples() {
    }

    public static EmotionLabels labels() {
        return new EmotionLabels(0.8, 0.05, 0.0, 0.1, 0.0, 0.3, 0.02, 0.6, 0.7, 0.9);
    }

    public static FaceBatch faceBatch(String studyId, String participantId) {
        return new FaceBatch(1, studyId, participantId, "video-1", "job-1", 0, Split.TRAIN, List.of(
                new FaceFrame(0, 0L, 0, new Box(10, 20, 64, 64), 0.97, JPEG, labels(), "joy"),
                new FaceFrame(1, 33L, 0, new Box(11, 20, 64, 64), 0.95, JPEG, null, null)));
    }

    public static IngestProgress ingestProgress(String jobId, JobState state) {
        return new IngestProgress(1, jobId, "study-1", "p01", state, 300L, 290L, 280L, 12L,
                state == JobState.FAILED ? "labels.csv row 4: Timestamp goes backwards" : null, AT);
    }

    public static IngestCompleted ingestCompleted(String studyId, String jobId) {
        return new IngestCompleted(1, studyId, jobId,
                List.of(new IngestCompleted.ParticipantCounts("p01", "p01.mp4", Split.TRAIN, 1800L, 1790L, 1700L, 60L),
                        new IngestCompleted.ParticipantCounts("p02", "p02.mp4", Split.TEST, 1800L, 1800L, 1750L, 61L)),
                Map.of("joy", 900L, "neutral", 2550L), "imotions", new IngestCompleted.Detector(
                        "mediapipe-full-range", false, null), 30.0, AT, Map.of());
    }

    public static TrainingProgress trainingProgress(String trainingId, int epoch) {
        return new TrainingProgress(1, trainingId, "study-1", Architecture.CNN_SIMPLE, Task.EMOTION_CLASS,
                JobState.RUNNING, epoch, 10, 120L * epoch, 1.2, 1.4, Map.of("accuracy", 0.41, "macro_f1", 0.33),
                3e-4, 251.0, null, AT.plusSeconds(epoch));
    }

    public static ModelTrained modelTrained(String modelId, String studyId) {
        return new ModelTrained(1, modelId, "training-1", studyId, Architecture.VIT_SCRATCH, Task.EMOTION_CLASS,
                Map.of("epochs", 10, "batchSize", 32, "learningRate", 3e-4),
                "http://localhost:8082/api/v1/models/" + modelId + "/artifact", Map.of("macro_f1", 0.41),
                12_000_000L, 12_000_000L, AT);
    }

    public static CrossValidation crossValidation(String studyId) {
        return new CrossValidation(1, "cv-1", studyId, Architecture.CNN_SIMPLE, Task.EMOTION_CLASS,
                "leave-one-participant-out", List.of(
                new CrossValidation.Fold("p01", "p02", 400, 120, Map.of("accuracy", 0.5, "macro_f1", 0.4)),
                new CrossValidation.Fold("p02", "p03", 410, 110, Map.of("accuracy", 0.6, "macro_f1", 0.5))),
                Map.of("accuracy", 0.55, "macro_f1", 0.45), Map.of("accuracy", 0.07, "macro_f1", 0.07),
                Map.of("epochs", 3), AT);
    }

    public static CrossValidationProgress crossValidationProgress(String studyId) {
        CrossValidation done = crossValidation(studyId);
        return new CrossValidationProgress(1, "cv-1", studyId, Architecture.CNN_SIMPLE, Task.EMOTION_CLASS,
                JobState.RUNNING, 3, done.folds(), Map.of(), Map.of(), "fold 3/3: testing on p03", "training-a", AT,
                AT);
    }

    public static EvaluationReport evaluationReport(String studyId, String recommended) {
        return new EvaluationReport(1, studyId, "evaluation-1", List.of(
                new EvaluationReport.ModelScore("m-cnn", Architecture.CNN_SIMPLE, Task.EMOTION_CLASS,
                        Map.of("accuracy", 0.52, "macro_f1", 0.44),
                        Map.of("macro_f1", new EvaluationReport.Interval(0.40, 0.48))),
                new EvaluationReport.ModelScore("m-vit", Architecture.VIT_SCRATCH, Task.EMOTION_CLASS,
                        Map.of("accuracy", 0.49, "macro_f1", 0.41), Map.of())),
                "http://localhost:8083/reports/" + studyId + "/index.html", recommended,
                "best macro-F1; lowest latency among models within its CI", AT);
    }

    public static InferenceFrame inferenceFrame(String streamId) {
        return new InferenceFrame(1, streamId, 7L, 233L, JPEG, AT);
    }

    public static InferencePrediction inferencePrediction(String streamId) {
        return new InferencePrediction(1, streamId, 7L, 233L, "m-cnn", List.of(
                new InferencePrediction.FacePrediction(0, new Box(10, 10, 80, 80),
                        Map.of("joy", 0.7, "anger", 0.1, "neutral", 0.2), "joy", 0.8)), 6.5, null);
    }

    public static DeadLetter deadLetter() {
        return DeadLetter.of("emotion.models.trained", 0, 42L, "m-1", "evaluation-service",
                "ModelTrained is invalid: version: missing", "{\"modelId\":\"m-1\"}");
    }
}
