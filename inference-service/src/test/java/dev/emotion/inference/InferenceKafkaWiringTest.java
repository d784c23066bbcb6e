package dev.emotion.inference;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emotion.core.contract.Architecture;
import dev.emotion.core.contract.Contracts;
import dev.emotion.core.contract.DeadLetter;
import dev.emotion.core.contract.EvaluationReport;
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
class InferenceKafkaWiringTest {

    private static final KafkaProbe KAFKA = new KafkaProbe();

    @AfterAll
    static void close() {
        KAFKA.close();
    }

    @Test
    void theNewestRecommendationIsWhatTheModelEndpointReports() {
        String studyId = "study-" + UUID.randomUUID();
        String modelId = "model-" + UUID.randomUUID();
        // Dated in the future so that it is the newest of all reports earlier runs left on the topic.
        EvaluationReport report = new EvaluationReport(1, studyId, "evaluation-1", List.of(
                new EvaluationReport.ModelScore(modelId, Architecture.CNN_SIMPLE, Task.EMOTION_CLASS,
                        Map.of("macro_f1", 0.46), Map.of("macro_f1", new EvaluationReport.Interval(0.41, 0.5)))),
                "http://localhost:8083/reports/" + studyId + "/index.html", modelId, "only model evaluated",
                Instant.now().plus(Duration.ofDays(3650)));
        KAFKA.send(Topic.EVALUATION_REPORTS.topicName(), studyId, Contracts.toJson(report));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/v1/model").then()
                .statusCode(200).body("recommendedModelId", equalTo(modelId))
                .body("recommendedBy", containsString(studyId))
                .body("loadedModelId", nullValue()));
    }

    @Test
    void malformedRecordGoesToTheDeadLetterTopicAndTheServiceStaysReady() {
        String key = "bad-" + UUID.randomUUID();
        String payload = Contracts.toJson(new EvaluationReport(1, key, "e", List.of(
                new EvaluationReport.ModelScore("m", Architecture.CNN_SIMPLE, Task.EMOTION_CLASS, Map.of(), null)),
                "http://r", null, null, Instant.now())).replace("\"recommendedModelId\":null",
                "\"recommendedModelId\":\"not-evaluated\"");
        KAFKA.send(Topic.EVALUATION_REPORTS.topicName(), key, payload);
        var record = KAFKA.await(Topic.EVALUATION_REPORTS.deadLetterTopic(), r -> key.equals(r.key()),
                Duration.ofSeconds(30));
        DeadLetter letter = Contracts.parse(record.value(), DeadLetter.class);
        assertTrue(letter.reason().contains("recommendedModelId: 'not-evaluated' is not among the evaluated models"),
                letter.reason());
        // Readiness waits for a model (none in this test); the broker check inside it and liveness stay UP.
        given().get("/q/health/ready").then().body("checks.find { it.name == 'kafka-broker' }.status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }
}
