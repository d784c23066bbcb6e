package dev.emotion.ingest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emotion.core.contract.Contracts;
import dev.emotion.core.contract.DeadLetter;
import dev.emotion.core.contract.IngestCompleted;
import dev.emotion.core.contract.IngestProgress;
import dev.emotion.core.contract.JobState;
import dev.emotion.core.contract.Split;
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

/** The service's Kafka wiring against the real broker: consumed events drive its HTTP views; bad records are parked. */
@QuarkusTest
@WithTestResource(RealKafkaBroker.class)
class IngestKafkaWiringTest {

    private static final KafkaProbe KAFKA = new KafkaProbe();

    @AfterAll
    static void close() {
        KAFKA.close();
    }

    @Test
    void jobEventsOnTheTopicShowInTheJobStatus() {
        String jobId = "job-" + UUID.randomUUID();
        KAFKA.send(Topic.INGEST_PROGRESS.topicName(), jobId, Contracts.toJson(new IngestProgress(1, jobId, "study-x",
                "p01", JobState.RUNNING, 120L, 118L, 110L, 4L, null, Instant.now())));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/v1/ingest/jobs/" + jobId)
                .then().statusCode(200).body("state", equalTo("running")).body("faces", equalTo(118)));

        KAFKA.send(Topic.INGEST_PROGRESS.topicName(), jobId, Contracts.toJson(new IngestProgress(1, jobId, "study-x",
                "p01", JobState.FAILED, 130L, 128L, 120L, 4L, "p01.mp4: decoding failed at frame 131",
                Instant.now())));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/v1/ingest/jobs/" + jobId)
                .then().statusCode(200).body("state", equalTo("failed"))
                .body("message", containsString("frame 131")));
    }

    @Test
    void manifestsOnTheTopicShowInTheStudy() {
        String studyId = "study-" + UUID.randomUUID();
        IngestCompleted manifest = new IngestCompleted(1, studyId, "job-1", List.of(
                new IngestCompleted.ParticipantCounts("p01", "p01.mp4", Split.TRAIN, 900L, 880L, 850L, 30L),
                new IngestCompleted.ParticipantCounts("p02", "p02.mp4", Split.VAL, 900L, 900L, 870L, 30L)),
                Map.of("joy", 400L, "neutral", 1320L), "imotions",
                new IngestCompleted.Detector("mediapipe-full-range", false, null), 30.0, Instant.now(), Map.of("ambiguous: top score in [0.35, 0.50)", 40L));
        KAFKA.send(Topic.INGEST_COMPLETED.topicName(), studyId, Contracts.toJson(manifest));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/v1/studies/" + studyId)
                .then().statusCode(200)
                .body("facesPerSplit.train", equalTo(880))
                .body("facesPerSplit.val", equalTo(900))
                .body("labelCounts.joy", equalTo(400))
                .body("participants.size()", equalTo(2))
                .body("lopoFolds.p02", equalTo(1)));
    }

    @Test
    void malformedRecordGoesToTheDeadLetterTopicAndTheServiceStaysReady() {
        String key = "bad-" + UUID.randomUUID();
        String payload = "{\"version\":1,\"jobId\":\"" + key + "\",\"studyId\":\"s\",\"state\":\"exploded\"}";
        KAFKA.send(Topic.INGEST_PROGRESS.topicName(), key, payload);

        var record = KAFKA.await(Topic.INGEST_PROGRESS.deadLetterTopic(), r -> key.equals(r.key()),
                Duration.ofSeconds(30));
        DeadLetter letter = Contracts.parse(record.value(), DeadLetter.class);
        assertEquals(Topic.INGEST_PROGRESS.topicName(), letter.sourceTopic());
        assertEquals("ingest-service", letter.service());
        assertEquals(payload, letter.payload());
        assertTrue(letter.reason().contains("state: 'exploded' is not a valid JobState"), letter.reason());

        // Garbage that is not even JSON is parked too, and later good records still get through.
        String garbageKey = "garbage-" + UUID.randomUUID();
        KAFKA.send(Topic.INGEST_COMPLETED.topicName(), garbageKey, "\u0000\u0001not json");
        var garbage = KAFKA.await(Topic.INGEST_COMPLETED.deadLetterTopic(), r -> garbageKey.equals(r.key()),
                Duration.ofSeconds(30));
        assertTrue(Contracts.parse(garbage.value(), DeadLetter.class).reason().contains("not valid JSON"));
        jobEventsOnTheTopicShowInTheJobStatus();

        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("emotion_dead_letters_total{topic=\"emotion.ingest.progress\"}"));
    }

    @Test
    void unknownJobAnswers404WithWhereToLook() {
        given().get("/api/v1/ingest/jobs/no-such-job").then().statusCode(404)
                .body("error", equalTo("no ingest job no-such-job"))
                .body("detail", containsString("GET /api/v1/ingest/jobs"));
    }

    @Test
    void operatorEndpointsAnswer() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'kafka-broker' }.status", equalTo("UP"));
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/ingest/jobs/{jobId}"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }
}
