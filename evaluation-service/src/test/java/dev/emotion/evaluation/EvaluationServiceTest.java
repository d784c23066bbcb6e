package dev.emotion.evaluation;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emotion.core.contract.Architecture;
import dev.emotion.core.contract.Contracts;
import dev.emotion.core.contract.EvaluationReport;
import dev.emotion.core.contract.Split;
import dev.emotion.core.contract.Task;
import dev.emotion.core.contract.Topic;
import dev.emotion.testkit.ArtifactServer;
import dev.emotion.testkit.KafkaProbe;
import dev.emotion.testkit.PublishedStudy;
import dev.emotion.testkit.RealKafkaBroker;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A study's held-out faces through the real broker into the service's store; two models announced on
 * emotion.models.trained with artifacts served over HTTP (as training-service serves them); the report published
 * on emotion.evaluation.reports with a recommendation, and served as JSON, HTML and PNG.
 */
@QuarkusTest
@WithTestResource(RealKafkaBroker.class)
class EvaluationServiceTest {

    private static final KafkaProbe KAFKA = new KafkaProbe();
    private static final String STUDY = "eval-study-" + UUID.randomUUID();
    private static ArtifactServer registry;
    private static PublishedStudy published;

    @BeforeAll
    static void publishAStudyAndServeModels() throws IOException {
        published = PublishedStudy.publish(KAFKA, STUDY, "job-" + UUID.randomUUID(),
                Path.of("target/test-data/gen-" + UUID.randomUUID()), 5, 6, 5);
        registry = new ArtifactServer();
        for (Architecture a : List.of(Architecture.CNN_SIMPLE, Architecture.VIT_SCRATCH)) {
            registry.serve(modelId(a), a, Task.EMOTION_CLASS, STUDY, 1);
        }
    }

    @AfterAll
    static void close() {
        KAFKA.close();
        if (registry != null) {
            registry.close();
        }
    }

    private static String modelId(Architecture a) {
        return STUDY + "-" + a.id();
    }

    private static void announce(Architecture a) {
        registry.announce(KAFKA, modelId(a), a, Task.EMOTION_CLASS, STUDY);
    }

    @Test
    void announcedModelsAreEvaluatedAndTheReportIsPublishedAndServed() throws IOException {
        // Wait until the held-out faces are stored, then announce: evaluation starts on the event.
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> given().get("/api/v1/heldout/" + STUDY).then()
                .statusCode(200).body("ingestCompleted", equalTo(true))
                .body("testFaces", equalTo((int) published.stored(Split.TEST)))
                .body("validationFaces", equalTo((int) published.stored(Split.VAL))));
        announce(Architecture.CNN_SIMPLE);
        announce(Architecture.VIT_SCRATCH);

        EvaluationReport report = await().atMost(Duration.ofSeconds(240)).until(() -> {
            for (var r : KAFKA.readToEnd(Topic.EVALUATION_REPORTS.topicName())) {
                if (STUDY.equals(r.key())) {
                    EvaluationReport e = Contracts.parse(r.value(), EvaluationReport.class);
                    if (e.models().size() == 2) {
                        return e;
                    }
                }
            }
            return null;
        }, java.util.Objects::nonNull);
        // Models trained 1 epoch and no zero-training baseline beside them: the report refuses to recommend, says
        // why, and is still published (inference keeps serving what it served).
        assertNull(report.recommendedModelId(), report.recommendationReason());
        assertTrue(report.recommendationReason().startsWith("no model recommended"), report.recommendationReason());
        for (EvaluationReport.ModelScore s : report.models()) {
            assertTrue(s.metrics().containsKey("macro_f1") && s.metrics().containsKey("latency_p50_ms"));
            EvaluationReport.Interval ci = s.confidenceIntervals().get("macro_f1");
            assertTrue(ci.low() <= s.metrics().get("macro_f1") + 1e-9 && s.metrics().get("macro_f1") <= ci.high()
                    + 1e-9, "CI brackets the estimate");
        }
        assertTrue(report.reportUrl().endsWith("/reports/" + STUDY + "/index.html"));

        given().get("/api/v1/reports/" + STUDY).then().statusCode(200)
                .body("models.modelId", hasItem(modelId(Architecture.VIT_SCRATCH)))
                .body("recommendation.modelId", equalTo(report.recommendedModelId()))
                .body("mcnemar.size()", equalTo(1));
        given().get("/reports/" + STUDY + "/index.html").then().statusCode(200)
                .contentType(containsString("text/html")).body(containsString(modelId(Architecture.CNN_SIMPLE)));
        byte[] png = given().get("/reports/" + STUDY + "/model_comparison.png").then().statusCode(200)
                .contentType("image/png").extract().asByteArray();
        assertEquals((byte) 0x89, png[0]);
        given().get("/reports/" + STUDY + "/" + modelId(Architecture.VIT_SCRATCH) + "/attention.png").then()
                .statusCode(200);
        given().get("/reports/" + STUDY + "/../../../pom.xml").then().statusCode(404);
        // the same, encoded so that no client or router normalises it first, and through a link in the report folder
        for (String encoded : List.of("/..%2F..%2F..%2Fpom.xml", "/%2e%2e/%2e%2e/%2e%2e/pom.xml",
                "/..%252F..%252F..%252Fpom.xml")) {
            given().urlEncodingEnabled(false).get("/reports/" + STUDY + encoded).then()
                    .statusCode(org.hamcrest.Matchers.oneOf(400, 404))
                    .body(org.hamcrest.Matchers.not(containsString("<project")));
        }
        java.nio.file.Path reportDir = java.nio.file.Path.of("target/test-experiments/model_comparison",
                dev.emotion.core.FileNames.safe(STUDY));
        java.nio.file.Path link = reportDir.resolve("leak.xml");
        java.nio.file.Files.deleteIfExists(link);
        java.nio.file.Files.createSymbolicLink(link, java.nio.file.Path.of("pom.xml").toAbsolutePath());
        given().get("/reports/" + STUDY + "/leak.xml").then().statusCode(404);
        // CORS is closed: a page of another origin gets no Access-Control-Allow-Origin, so its browser reads nothing
        given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "GET")
                .options("/api/v1/reports/" + STUDY).then().header("Access-Control-Allow-Origin",
                        org.hamcrest.Matchers.nullValue());
        given().header("Origin", "https://evil.example").get("/api/v1/reports/" + STUDY).then().statusCode(200)
                .header("Access-Control-Allow-Origin", org.hamcrest.Matchers.nullValue());
        // an announced model's evaluation is one job with a known id, its status folded from its progress events
        given().get("/api/v1/evaluations/eval-" + modelId(Architecture.CNN_SIMPLE)).then().statusCode(200)
                .body("state", equalTo("completed")).body("worker", org.hamcrest.Matchers.notNullValue())
                .body("models." + modelId(Architecture.CNN_SIMPLE), containsString("evaluated"));
    }

    @Test
    void unknownStudiesAndModelsAreRefusedWithTheReason() {
        given().header("X-API-Key", "test-secret").contentType(ContentType.JSON)
                .body(Map.of("studyId", "no-such-study")).post("/api/v1/evaluations").then().statusCode(404)
                .body("detail", containsString("no-such-study"));
        given().header("X-API-Key", "test-secret").contentType(ContentType.JSON).body(Map.of())
                .post("/api/v1/evaluations").then().statusCode(400).body("detail", containsString("studyId"));
        given().contentType(ContentType.JSON).body(Map.of("studyId", STUDY)).post("/api/v1/evaluations").then()
                .statusCode(401);
        given().get("/api/v1/reports/never-evaluated").then().statusCode(404)
                .body("detail", containsString("not been evaluated"));
        given().get("/api/v1/evaluations/eval-nope").then().statusCode(404);
    }
}
