package dev.emotion.training;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emotion.core.contract.Architecture;
import dev.emotion.core.contract.Contracts;
import dev.emotion.core.contract.DeadLetter;
import dev.emotion.core.contract.IngestCompleted;
import dev.emotion.core.contract.ModelTrained;
import dev.emotion.core.contract.Split;
import dev.emotion.core.contract.Task;
import dev.emotion.core.contract.Topic;
import dev.emotion.testkit.KafkaProbe;
import dev.emotion.testkit.RealKafkaBroker;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(RealKafkaBroker.class)
class TrainingKafkaWiringTest {

    private static final KafkaProbe KAFKA = new KafkaProbe();

    @AfterAll
    static void close() {
        KAFKA.close();
    }

    @Test
    void modelsOnTheRegistryTopicShowInTheRegistry() {
        String modelId = "model-" + UUID.randomUUID();
        KAFKA.send(Topic.MODELS_TRAINED.topicName(), modelId, Contracts.toJson(new ModelTrained(1, modelId, "t-1",
                "study-a", Architecture.CNN_SIMPLE, Task.EMOTION_CLASS, Map.of("epochs", 5),
                "http://localhost:8082/api/v1/models/" + modelId + "/artifact", Map.of("macro_f1", 0.37),
                2_100_000L, 2_100_000L, Instant.now())));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/v1/models/" + modelId)
                .then().statusCode(200).body("architecture", equalTo("cnn_simple"))
                .body("valMetrics.macro_f1", equalTo(0.37f)));
        given().queryParam("studyId", "study-a").get("/api/v1/models").then().statusCode(200)
                .body("modelId", org.hamcrest.Matchers.hasItem(modelId));
    }

    @Test
    void aStudyWithoutAValidationSplitIsNotTrainableAndSaysWhy() {
        String studyId = "study-" + UUID.randomUUID();
        KAFKA.send(Topic.INGEST_COMPLETED.topicName(), studyId, Contracts.toJson(new IngestCompleted(1, studyId,
                "job-1", List.of(new IngestCompleted.ParticipantCounts("p01", "p01.mp4", Split.TRAIN, 100L, 100L,
                90L, 4L)), Map.of("joy", 90L), "synthetic",
                new IngestCompleted.Detector("mediapipe-full-range", false, null), 30.0, Instant.now(), null)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/v1/datasets/" + studyId)
                .then().statusCode(200).body("trainable", equalTo(false))
                .body("blockers", contains("no faces in the val split (ingest more participants)")));
    }

    @Test
    void malformedRecordGoesToTheDeadLetterTopicAndTheServiceStaysReady() {
        String key = "bad-" + UUID.randomUUID();
        String payload = Contracts.toJson(new ModelTrained(1, key, "t", "s", Architecture.VIT_SCRATCH,
                Task.EMOTION_CLASS, Map.of(), "http://h/a", Map.of(), 10L, 1L, Instant.now()))
                .replace("\"http://h/a\"", "\"ftp://h/a\"");
        KAFKA.send(Topic.MODELS_TRAINED.topicName(), key, payload);
        var record = KAFKA.await(Topic.MODELS_TRAINED.deadLetterTopic(), r -> key.equals(r.key()),
                Duration.ofSeconds(30));
        DeadLetter letter = Contracts.parse(record.value(), DeadLetter.class);
        assertTrue(letter.reason().contains("artifactUrl: 'ftp://h/a' is not an http(s) URL"), letter.reason());
        given().get("/api/v1/models/" + key).then().statusCode(404);
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void mutatingCallsNeedTheApiKeyWhenOneIsConfigured() {
        given().post("/api/v1/test-guard").then().statusCode(401)
                .body("error", equalTo("missing API key")).body("detail", containsString("X-API-Key"));
        given().header("X-API-Key", "wrong").post("/api/v1/test-guard").then().statusCode(401)
                .body("error", equalTo("wrong API key"));
        given().header("X-API-Key", "test-secret").post("/api/v1/test-guard").then().statusCode(200)
                .body(equalTo("accepted"));
        given().get("/api/v1/test-guard").then().statusCode(200).body(equalTo("read"));
        // one key per role: the submit key may POST, not DELETE (admin); the single key is an admin key
        given().header("X-API-Key", "submit-secret").post("/api/v1/test-guard").then().statusCode(200);
        given().header("X-API-Key", "submit-secret").delete("/api/v1/test-guard").then().statusCode(403)
                .body("error", equalTo("not allowed with this key"))
                .body("detail", containsString("needs the admin role"));
        given().header("X-API-Key", "test-secret").delete("/api/v1/test-guard").then().statusCode(200)
                .body(equalTo("deleted"));
    }

    @Test
    void bodiesOverTheirCapAre413WithTheCap() {
        String big = "{\"studyId\": \"" + "x".repeat(1_100_000) + "\"}";
        given().header("X-API-Key", "test-secret").contentType(io.restassured.http.ContentType.JSON).body(big)
                .post("/api/v1/trainings").then().statusCode(413)
                .body("error", equalTo("request body too large"))
                .body("detail", containsString("over the limit of 1048576 bytes for JSON"));
        byte[] blob = new byte[65 << 20]; // over training-service's 64 MB for any other body
        given().header("X-API-Key", "test-secret").contentType("application/octet-stream").body(blob)
                .post("/api/v1/test-guard").then().statusCode(413)
                .body("detail", containsString("over the limit of 67108864 bytes of this service"));
        given().header("X-API-Key", "test-secret").contentType(io.restassured.http.ContentType.JSON)
                .body("{\"studyId\": \"nope\", \"model\": \"cnn_simple\", \"task\": \"emotion_class\"}")
                .post("/api/v1/trainings").then().statusCode(400); // under the cap: the request itself is judged
    }
}
