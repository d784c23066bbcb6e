package dev.emotion.core.contract;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every Kafka topic of the system, with the record it carries and how long the broker keeps it.
 * Topics that hold the dataset or the model registry keep records forever (retention -1) so that a new consumer
 * group can rebuild its store by replaying them.
 */
public enum Topic {
    INGEST_FRAMES("emotion.ingest.frames", FaceBatch.class, "studyId/participantId", true, 3),
    INGEST_PROGRESS("emotion.ingest.progress", IngestProgress.class, "jobId", true, 1),
    /** Ingest jobs waiting for an ingest worker; partitions: the most ingest workers that can share them. */
    INGEST_REQUESTS("emotion.ingest.requests", JobRequest.class, "jobId", true, 6),
    INGEST_COMPLETED("emotion.ingest.completed", IngestCompleted.class, "studyId", true, 1),
    TRAINING_PROGRESS("emotion.training.progress", TrainingProgress.class, "trainingId", true, 1),
    /** Trainings waiting for a training worker; partitions: the most training workers that can share them. */
    TRAINING_REQUESTS("emotion.training.requests", JobRequest.class, "trainingId", true, 6),
    MODELS_TRAINED("emotion.models.trained", ModelTrained.class, "modelId", true, 1),
    TRAINING_CROSSVAL("emotion.training.crossval", CrossValidation.class, "studyId", true, 1),
    /** A cross-validation's state as it runs (queued, each fold done, completed or failed). */
    TRAINING_CROSSVAL_PROGRESS("emotion.training.crossval.progress", CrossValidationProgress.class,
            "crossValidationId", true, 1),
    /** Evaluations waiting for an evaluation worker; partitions: the most evaluation workers that can share them. */
    EVALUATION_REQUESTS("emotion.evaluation.requests", JobRequest.class, "evaluationId", true, 6),
    EVALUATION_PROGRESS("emotion.evaluation.progress", EvaluationProgress.class, "evaluationId", true, 1),
    EVALUATION_REPORTS("emotion.evaluation.reports", EvaluationReport.class, "studyId", true, 1),
    INFERENCE_FRAMES("emotion.inference.frames", InferenceFrame.class, "streamId", false, 3),
    INFERENCE_PREDICTIONS("emotion.inference.predictions", InferencePrediction.class, "streamId", false, 3);

    /** Suffix of the dead-letter topic that goes with every topic above. */
    public static final String DLQ_SUFFIX = ".dlq";

    private final String topicName;
    private final Class<? extends Contract> recordType;
    private final String key;
    private final boolean keptForever;
    private final int partitions;

    Topic(String topicName, Class<? extends Contract> recordType, String key, boolean keptForever, int partitions) {
        this.topicName = topicName;
        this.recordType = recordType;
        this.key = key;
        this.keptForever = keptForever;
        this.partitions = partitions;
    }

    public String topicName() {
        return topicName;
    }

    public Class<? extends Contract> recordType() {
        return recordType;
    }

    /** What the record key is made of. */
    public String key() {
        return key;
    }

    public boolean keptForever() {
        return keptForever;
    }

    public int partitions() {
        return partitions;
    }

    /** The topic's settings at creation: retention (forever or a day) and the largest record (2 MiB). */
    public java.util.Map<String, String> configs() {
        return java.util.Map.of("retention.ms", keptForever ? "-1" : String.valueOf(24L * 3600 * 1000),
                "max.message.bytes", String.valueOf(2 * 1024 * 1024));
    }

    /** A dead-letter topic's settings: one partition, kept forever (bad records are few and worth keeping). */
    public static java.util.Map<String, String> deadLetterConfigs() {
        return java.util.Map.of("retention.ms", "-1");
    }

    /** A topic as it is created: name, partitions, settings. */
    public record Spec(String name, int partitions, java.util.Map<String, String> configs) {
    }

    /**
     * Every topic the system uses, each followed by its dead-letter topic, as they are created (by each service's
     * topic set-up, by the secure broker's administrator, in the Strimzi overlay).
     */
    public static java.util.List<Spec> specs() {
        java.util.List<Spec> all = new java.util.ArrayList<>();
        for (Topic t : values()) {
            all.add(new Spec(t.topicName, t.partitions, t.configs()));
            all.add(new Spec(t.deadLetterTopic(), 1, deadLetterConfigs()));
        }
        return all;
    }

    public String deadLetterTopic() {
        return deadLetterTopic(topicName);
    }

    public static String deadLetterTopic(String topicName) {
        return topicName + DLQ_SUFFIX;
    }

    public static Optional<Topic> byName(String topicName) {
        return Arrays.stream(values()).filter(t -> t.topicName.equals(topicName)).findFirst();
    }
}
