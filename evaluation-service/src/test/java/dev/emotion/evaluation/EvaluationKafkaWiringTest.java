package dev.emotion.evaluation;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emotion.core.contract.Architecture;
import dev.emotion.core.contract.Contracts;
import dev.emotion.core.contract.CrossValidation;
import dev.emotion.core.contract.DeadLetter;
import dev.emotion.core.contract.JobState;
import dev.emotion.core.contract.ModelTrained;
import dev.emotion.core.contract.Task;
import dev.emotion.core.contract.Topic;
import dev.emotion.core.contract.TrainingProgress;
import dev.emotion.testkit.KafkaProbe;
import dev.emotion.testkit.RealKafkaBroker;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(RealKafkaBroker.class)
class EvaluationKafkaWiringTest {

    private static final KafkaProbe KAFKA = new KafkaProbe();

    @AfterAll
    static void close() {
        KAFKA.close();
    }

    @Test
    void progressEventsBuildTheTrainingCurveInEpochOrder() {
        String trainingId = "training-" + UUID.randomUUID();
        for (int epoch : new int[] {2, 1, 3}) {
            KAFKA.send(Topic.TRAINING_PROGRESS.topicName(), trainingId, Contracts.toJson(new TrainingProgress(1,
                    trainingId, "study-e", Architecture.VIT_SCRATCH, Task.EMOTION_CLASS, JobState.RUNNING, epoch, 3,
                    10L * epoch, 2.0 / epoch, 2.2 / epoch, Map.of("macro_f1", 0.1 * epoch), 1e-3, 80.0, null,
                    Instant.now())));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given()
                .get("/api/v1/trainings/" + trainingId + "/curve").then().statusCode(200)
                .body("epoch", contains(1, 2, 3)));
    }

    @Test
    void trainedModelsBecomeCandidates() {
        String modelId = "model-" + UUID.randomUUID();
        KAFKA.send(Topic.MODELS_TRAINED.topicName(), modelId, Contracts.toJson(new ModelTrained(1, modelId, "t-9",
                "study-e", Architecture.RESNET_PRETRAINED, Task.EMOTION_MULTILABEL, Map.of("backbone", "resnet50"),
                "http://localhost:8082/api/v1/models/" + modelId + "/artifact", Map.of("micro_f1", 0.5),
                25_000_000L, 2_000_000L, Instant.now())));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().queryParam("studyId", "study-e")
                .get("/api/v1/candidates").then().statusCode(200).body("modelId", hasItem(modelId)));
    }

    @Test
    void crossValidationsAreKeptPerStudyAndArchitecture() {
        String study = "study-cv-" + UUID.randomUUID();
        for (double acc : new double[] {0.4, 0.6}) { // the later one replaces the earlier
            KAFKA.send(Topic.TRAINING_CROSSVAL.topicName(), study, Contracts.toJson(new CrossValidation(1,
                    "cv-" + acc, study, Architecture.CNN_SIMPLE, Task.EMOTION_CLASS, "leave-one-participant-out",
                    java.util.List.of(new CrossValidation.Fold("p01", "p02", 100, 20, Map.of("accuracy", acc)),
                            new CrossValidation.Fold("p02", "p03", 100, 20, Map.of("accuracy", acc))),
                    Map.of("accuracy", acc), Map.of("accuracy", 0.0), Map.of(), Instant.now())));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/v1/cross-validations/" + study)
                .then().statusCode(200).body("crossValidationId", contains("cv-0.6")));
        given().get("/api/v1/cross-validations/nobody-" + UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void malformedRecordGoesToTheDeadLetterTopicAndTheServiceStaysReady() {
        String key = "bad-" + UUID.randomUUID();
        String payload = "{\"version\":1,\"trainingId\":\"" + key + "\",\"studyId\":\"s\",\"model\":\"cnn_simple\","
                + "\"task\":\"emotion_class\",\"state\":\"running\",\"epoch\":7,\"epochs\":5,\"step\":1,"
                + "\"at\":\"2026-11-24T10:00:00Z\"}";
        KAFKA.send(Topic.TRAINING_PROGRESS.topicName(), key, payload);
        var record = KAFKA.await(Topic.TRAINING_PROGRESS.deadLetterTopic(), r -> key.equals(r.key()),
                Duration.ofSeconds(30));
        DeadLetter letter = Contracts.parse(record.value(), DeadLetter.class);
        assertTrue(letter.reason().contains("epoch: 7 is beyond epochs (5)"), letter.reason());
        given().get("/api/v1/trainings/" + key + "/curve").then().statusCode(404);
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }
}
