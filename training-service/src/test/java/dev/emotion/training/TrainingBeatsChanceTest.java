package dev.emotion.training;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emotion.core.contract.Contracts;
import dev.emotion.core.contract.ModelTrained;
import dev.emotion.core.contract.Topic;
import dev.emotion.testkit.KafkaProbe;
import dev.emotion.testkit.PublishedStudy;
import dev.emotion.testkit.RealKafkaBroker;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A small real training through the broker learns something: crops of a generated study (5 people x 40 s at 6 fps)
 * go through Kafka into the store, cnn_simple trains 8 epochs through the API, and the registered model, scored
 * again through the API on the test participant (who neither trained it nor chose its checkpoint), reaches at least
 * twice chance macro-F1 (chance = 1 / the classes annotated there).
 */
@QuarkusTest
@WithTestResource(RealKafkaBroker.class)
class TrainingBeatsChanceTest {

    private static final KafkaProbe KAFKA = new KafkaProbe();
    private static final String STUDY = "chance-study-" + UUID.randomUUID();
    private static PublishedStudy published;

    @BeforeAll
    static void publishAStudy() throws IOException {
        published = PublishedStudy.publish(KAFKA, STUDY, "job-" + UUID.randomUUID(),
                Path.of("target/test-data/chance-" + UUID.randomUUID()), 5, 40, 6);
    }

    @AfterAll
    static void close() {
        KAFKA.close();
    }

    @Test
    void macroF1OnTheUnseenTestParticipantIsAtLeastTwiceChance() {
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> given().get("/api/v1/datasets/" + STUDY).then()
                .statusCode(200).body("trainable", equalTo(true)).body("storedSamples.val", equalTo(
                        (int) published.stored(dev.emotion.core.contract.Split.VAL))));
        String id = given().header("X-API-Key", "test-secret").contentType(ContentType.JSON)
                .body(Map.of("studyId", STUDY, "model", "cnn_simple", "task", "emotion_class", "epochs", 8))
                .post("/api/v1/trainings").then().statusCode(202).extract().path("trainingId");
        await().atMost(Duration.ofSeconds(600)).untilAsserted(() -> given().get("/api/v1/trainings/" + id).then()
                .statusCode(200).body("state", equalTo("completed")));
        ModelTrained model = Contracts.parse(KAFKA.await(Topic.MODELS_TRAINED.topicName(),
                r -> r.value().contains(id), Duration.ofSeconds(30)).value(), ModelTrained.class);
        long classes = published.classes(dev.emotion.core.contract.Split.TEST);
        double chance = 1.0 / classes;
        Number f1 = given().header("X-API-Key", "test-secret").queryParam("split", "test")
                .post("/api/v1/models/" + model.modelId() + "/evaluate").then().statusCode(200)
                .extract().path("metrics.macro_f1");
        System.out.printf("through the broker: test participant macro-F1 %.3f vs chance %.3f (%d classes); "
                + "validation macro-F1 %.3f%n", f1.doubleValue(), chance, classes, model.valMetrics().get("macro_f1"));
        assertTrue(f1.doubleValue() >= 2 * chance, "macro-F1 " + f1 + " on the unseen test participant vs twice "
                + "chance " + 2 * chance);
    }
}
