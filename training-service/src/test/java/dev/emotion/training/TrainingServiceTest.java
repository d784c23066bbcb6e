package dev.emotion.training;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emotion.core.contract.Contracts;
import dev.emotion.core.contract.CrossValidation;
import dev.emotion.core.contract.JobState;
import dev.emotion.core.contract.ModelTrained;
import dev.emotion.core.contract.Split;
import dev.emotion.core.contract.Topic;
import dev.emotion.core.contract.TrainingProgress;
import dev.emotion.testkit.KafkaProbe;
import dev.emotion.testkit.PublishedStudy;
import dev.emotion.testkit.RealKafkaBroker;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Generated crops through the real broker into the store, a real training run, the model on the registry topic. */
@QuarkusTest
@WithTestResource(RealKafkaBroker.class)
class TrainingServiceTest {

    private static final KafkaProbe KAFKA = new KafkaProbe();
    private static final String STUDY = "train-study-" + UUID.randomUUID();
    private static final String JOB = "job-" + UUID.randomUUID();
    private static PublishedStudy published;

    @BeforeAll
    static void publishAStudy() throws IOException {
        published = PublishedStudy.publish(KAFKA, STUDY, JOB, Path.of("target/test-data/gen-" + UUID.randomUUID()),
                5, 10, 5);
    }

    @AfterAll
    static void close() {
        KAFKA.close();
    }

    @Test
    void trainsACnnOnTheStoredStudyAndRegistersTheModel() throws IOException {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/v1/datasets/" + STUDY).then()
                .statusCode(200).body("trainable", equalTo(true)).body("storedSamples.train", equalTo(
                        (int) published.stored(Split.TRAIN))));
        String id = given().header("X-API-Key", "test-secret").contentType(ContentType.JSON)
                .body(Map.of("studyId", STUDY, "model", "cnn_simple", "task", "emotion_class", "epochs", 2,
                        "batchSize", 16))
                .post("/api/v1/trainings").then().statusCode(202).body("state", equalTo("queued"))
                .extract().path("trainingId");
        await().atMost(Duration.ofSeconds(240)).untilAsserted(() -> given().get("/api/v1/trainings/" + id).then()
                .statusCode(200).body("state", equalTo("completed")));
        given().get("/api/v1/trainings/" + id + "/curve").then().statusCode(200).body("epoch", hasItems(1, 2));
        Path experiments = Path.of("target/test-experiments/cnn_simple");
        assertTrue(java.nio.file.Files.size(experiments.resolve("visualizations/" + id + "-loss.png")) > 1000);
        assertTrue(java.nio.file.Files.size(experiments.resolve("visualizations/" + id + "-metrics.png")) > 1000);
        assertEquals(2, java.nio.file.Files.readAllLines(experiments.resolve("logs/" + id + ".jsonl")).size());
        assertTrue(java.nio.file.Files.isRegularFile(experiments.resolve("checkpoints/" + id + "/best.params")));

        ModelTrained model = Contracts.parse(KAFKA.await(Topic.MODELS_TRAINED.topicName(),
                r -> r.value().contains(id), Duration.ofSeconds(30)).value(), ModelTrained.class);
        assertEquals(STUDY, model.studyId());
        assertTrue(model.valMetrics().containsKey("macro_f1"));
        assertEquals(model.totalParameters(), model.trainableParameters());
        assertTrue(model.artifactUrl().endsWith("/api/v1/models/" + model.modelId() + "/artifact"));

        byte[] zip = given().get("/api/v1/models/" + model.modelId() + "/artifact").then().statusCode(200)
                .contentType("application/zip").extract().asByteArray();
        Set<String> entries = new HashSet<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                entries.add(e.getName());
            }
        }
        assertEquals(Set.of("model.params", "model.json", "baseline.png"), entries,
                "cnn_simple trains on participant baselines by default and ships its cold-start baseline");
        assertEquals(Boolean.TRUE, model.config().get("participantBaseline"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/v1/models/" + model.modelId())
                .then().statusCode(200).body("trainingId", equalTo(id)));
        assertTrue(model.config().get("dataSnapshot").toString().startsWith("sha256:"));
        assertTrue(model.config().containsKey("gitCommit"));

        // Eval-only: the registered model scored again on the validation split gives its best-epoch metrics.
        Number macroF1 = given().header("X-API-Key", "test-secret").queryParam("split", "val")
                .post("/api/v1/models/" + model.modelId() + "/evaluate").then().statusCode(200)
                .body("samples", equalTo((int) labelled(Split.VAL))).extract().path("metrics.macro_f1");
        assertEquals(model.valMetrics().get("macro_f1"), macroF1.doubleValue(), 1e-5);
    }

    /** The multi-task affect model trains through the service like any other and reports every head. */
    @Test
    void anAffectModelTrainsEveryHeadFromTheStoredStudy() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/v1/datasets/" + STUDY).then()
                .statusCode(200).body("trainable", equalTo(true)));
        String id = given().header("X-API-Key", "test-secret").contentType(ContentType.JSON)
                .body(Map.of("studyId", STUDY, "model", "cnn_simple", "task", "affect", "epochs", 1,
                        "batchSize", 16))
                .post("/api/v1/trainings").then().statusCode(202).extract().path("trainingId");
        await().atMost(Duration.ofSeconds(240)).untilAsserted(() -> given().get("/api/v1/trainings/" + id).then()
                .statusCode(200).body("state", equalTo("completed")));
        ModelTrained model = Contracts.parse(KAFKA.await(Topic.MODELS_TRAINED.topicName(),
                r -> r.value().contains(id), Duration.ofSeconds(30)).value(), ModelTrained.class);
        assertEquals(dev.emotion.core.contract.Task.AFFECT, model.task());
        for (String metric : List.of("macro_f1", "expressions_mae", "valence_mae", "engagement_mae",
                "attention_mae")) {
            assertTrue(model.valMetrics().containsKey(metric), metric + " in " + model.valMetrics());
        }
    }

    @Test
    void leaveOneParticipantOutTrainsAFoldPerPersonAndPublishesMeanAndSpread() throws IOException {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/v1/datasets/" + STUDY).then()
                .statusCode(200).body("trainable", equalTo(true)));
        String id = given().header("X-API-Key", "test-secret").contentType(ContentType.JSON)
                .body(Map.of("studyId", STUDY, "model", "cnn_simple", "task", "emotion_class", "epochs", 1,
                        "batchSize", 16))
                .post("/api/v1/cross-validations").then().statusCode(202).body("foldsTotal", equalTo(5))
                .extract().path("crossValidationId");
        await().atMost(Duration.ofSeconds(300)).untilAsserted(() -> given().get("/api/v1/cross-validations/" + id)
                .then().statusCode(200).body("state", equalTo("completed")));
        CrossValidation cv = Contracts.parse(KAFKA.await(Topic.TRAINING_CROSSVAL.topicName(),
                r -> r.value().contains(id), Duration.ofSeconds(30)).value(), CrossValidation.class);
        assertEquals(STUDY, cv.studyId());
        assertEquals(5, cv.folds().size());
        Set<String> heldOut = new HashSet<>();
        for (CrossValidation.Fold f : cv.folds()) {
            assertTrue(heldOut.add(f.participantId()), "each participant held out once");
            assertTrue(!f.participantId().equals(f.validationParticipantId()));
            double correct = f.metrics().get("accuracy") * f.testSamples();
            assertEquals(Math.round(correct), correct, 1e-6, "accuracy is a count of the fold's test frames: " + f);
        }
        double mean = cv.folds().stream().mapToDouble(f -> f.metrics().get("macro_f1")).average().orElseThrow();
        assertEquals(mean, cv.mean().get("macro_f1"), 1e-9);
        double ss = cv.folds().stream().mapToDouble(f -> Math.pow(f.metrics().get("macro_f1") - mean, 2)).sum();
        assertEquals(Math.sqrt(ss / (cv.folds().size() - 1)), cv.std().get("macro_f1"), 1e-9,
                "the spread is the (n-1) standard deviation of the folds");
        assertTrue(java.nio.file.Files.isRegularFile(Path.of("target/test-experiments/cnn_simple/cross_validation",
                id, "folds.png")));
        assertEquals(1.0, cv.folds().get(0).metrics().get("epochs_trained"), "one epoch asked, one trained");
        cv.folds().forEach(f -> assertTrue(f.metrics().containsKey("transductive_macro_f1"), "scored as served, "
                + "with the whole-video figure beside it: " + f.metrics().keySet()));
        // The identity probe looks only at a fold's held-out people: one person has nobody to be told apart from.
        cv.folds().forEach(f -> assertFalse(f.metrics().containsKey("identity_probe_accuracy"), f.toString()));

        given().header("X-API-Key", "test-secret").contentType(ContentType.JSON)
                .body(Map.of("studyId", STUDY, "model", "cnn_simple", "task", "emotion_class", "folds", 9))
                .post("/api/v1/cross-validations").then().statusCode(400)
                .body("detail", containsString("folds must be 3..5"));
        // Grouped K-fold, on the zero-training baseline (each fold only scores the held-out group).
        String grouped = given().header("X-API-Key", "test-secret").contentType(ContentType.JSON)
                .body(Map.of("studyId", STUDY, "model", "face_expression_baseline", "task", "emotion_class",
                        "folds", 3))
                .post("/api/v1/cross-validations").then().statusCode(202).body("foldsTotal", equalTo(3))
                .extract().path("crossValidationId");
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> given().get("/api/v1/cross-validations/"
                + grouped).then().statusCode(200).body("state", equalTo("completed")));
        CrossValidation g = Contracts.parse(KAFKA.await(Topic.TRAINING_CROSSVAL.topicName(),
                r -> r.value().contains(grouped), Duration.ofSeconds(30)).value(), CrossValidation.class);
        assertEquals("participant-grouped-3-fold", g.scheme());
        List<String> tested = new java.util.ArrayList<>();
        g.folds().forEach(f -> tested.addAll(List.of(f.participantId().split("\\+"))));
        assertEquals(5, tested.size(), "every participant tested once: " + tested);
        assertEquals(heldOut, new HashSet<>(tested));
        g.folds().forEach(f -> assertEquals(0.0, f.metrics().get("epochs_trained"), "the baseline is not trained"));
        // A fold of two held-out people: the probe names one of the two from the baseline's features, from raw
        // pixels and from the untrained net (chance 1/2), each an accuracy over the probed frames.
        List<CrossValidation.Fold> pairs = g.folds().stream().filter(f -> f.participantId().split("\\+").length == 2)
                .toList();
        assertFalse(pairs.isEmpty(), "5 people in 3 folds: some fold holds two");
        for (CrossValidation.Fold f : pairs) {
            assertEquals(0.5, f.metrics().get("identity_probe_chance"), 1e-9, f.toString());
            assertTrue(f.metrics().containsKey("identity_probe_accuracy")
                    && f.metrics().containsKey("identity_probe_random_init"), f.metrics().toString());
            assertTrue(f.metrics().get("identity_probe_raw_pixels") > 0.5, "two rendered people are told apart by "
                    + "their pixels: " + f.metrics());
        }
        // The job's events: queued, a "done" per fold, completed, all naming the worker; any replica answers GET.
        List<dev.emotion.core.contract.CrossValidationProgress> events = KAFKA.readToEnd(
                Topic.TRAINING_CROSSVAL_PROGRESS.topicName()).stream().filter(r -> grouped.equals(r.key()))
                .map(r -> Contracts.parse(r.value(), dev.emotion.core.contract.CrossValidationProgress.class))
                .toList();
        assertEquals(JobState.QUEUED, events.get(0).state());
        assertEquals(JobState.COMPLETED, events.get(events.size() - 1).state());
        assertEquals(List.of(0, 1, 2, 3), events.stream().map(e -> e.folds().size()).distinct().toList(),
                "the folds so far grow one by one");
        events.stream().skip(1).forEach(e -> assertTrue(e.worker() != null && !e.worker().isBlank(), e.toString()));

        // A worker takes over a cross-validation that another stopped after its first fold: it keeps that fold
        // (its metrics as published) and runs only the other two.
        String takeover = "cv-takeover-" + UUID.randomUUID().toString().substring(0, 8);
        CrossValidation.Fold first = g.folds().get(0);
        Map<String, Double> marked = new java.util.LinkedHashMap<>(first.metrics());
        marked.put("macro_f1", 0.123456);
        java.time.Instant now = java.time.Instant.now();
        KAFKA.send(Topic.TRAINING_CROSSVAL_PROGRESS.topicName(), takeover, Contracts.toJson(
                new dev.emotion.core.contract.CrossValidationProgress(1, takeover, STUDY, g.architecture(), g.task(),
                        JobState.RUNNING, 3, List.of(new CrossValidation.Fold(first.participantId(),
                        first.validationParticipantId(), first.trainSamples(), first.testSamples(), marked)),
                        Map.of(), Map.of(), "handed over in fold 2 by a worker that stopped", "gone-worker", now,
                        now)));
        KAFKA.send(Topic.TRAINING_REQUESTS.topicName(), takeover, Contracts.toJson(
                new dev.emotion.core.contract.JobRequest(1, "cross-validation", takeover, Map.of("studyId", STUDY,
                        "model", "face_expression_baseline", "task", "emotion_class", "folds", 3), now)));
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> given().get("/api/v1/cross-validations/"
                + takeover).then().statusCode(200).body("state", equalTo("completed")));
        CrossValidation t = Contracts.parse(KAFKA.await(Topic.TRAINING_CROSSVAL.topicName(),
                r -> r.value().contains(takeover), Duration.ofSeconds(30)).value(), CrossValidation.class);
        assertEquals(0.123456, t.folds().get(0).metrics().get("macro_f1"), 1e-12, "the first fold was kept");
        for (int i = 1; i < 3; i++) {
            assertEquals(g.folds().get(i).participantId(), t.folds().get(i).participantId());
            assertEquals(g.folds().get(i).metrics().get("macro_f1"), t.folds().get(i).metrics().get("macro_f1"),
                    1e-9, "the other folds ran again, like the uninterrupted run");
        }

        // A fold taken over mid-way goes on from its checkpoint: a cross-validation whose first fold's folder already
        // holds that fold's last checkpoint (here the finished one of an identical run) trains nothing for it.
        Map<String, Object> trained = Map.of("studyId", STUDY, "model", "cnn_simple", "task", "emotion_class",
                "folds", 3, "epochs", 1);
        String source = given().header("X-API-Key", "test-secret").contentType(ContentType.JSON).body(trained)
                .post("/api/v1/cross-validations").then().statusCode(202).extract().path("crossValidationId");
        await().atMost(Duration.ofSeconds(300)).untilAsserted(() -> given().get("/api/v1/cross-validations/"
                + source).then().statusCode(200).body("state", equalTo("completed")));
        CrossValidation src = Contracts.parse(KAFKA.await(Topic.TRAINING_CROSSVAL.topicName(),
                r -> r.value().contains(source), Duration.ofSeconds(30)).value(), CrossValidation.class);
        String resumed = "cv-resume-" + UUID.randomUUID().toString().substring(0, 8);
        String firstFold = dev.emotion.training.jobs.CrossValidations.foldName(0);
        Path cvDirs = Path.of("target/test-experiments/cnn_simple/cross_validation");
        Path into = cvDirs.resolve(resumed).resolve(firstFold);
        java.nio.file.Files.createDirectories(into);
        try (var files = java.nio.file.Files.list(cvDirs.resolve(source).resolve(firstFold))) {
            for (Path f : files.toList()) {
                java.nio.file.Files.copy(f, into.resolve(f.getFileName()));
            }
        }
        KAFKA.send(Topic.TRAINING_REQUESTS.topicName(), resumed, Contracts.toJson(
                new dev.emotion.core.contract.JobRequest(1, "cross-validation", resumed, trained,
                        java.time.Instant.now())));
        await().atMost(Duration.ofSeconds(300)).untilAsserted(() -> given().get("/api/v1/cross-validations/"
                + resumed).then().statusCode(200).body("state", equalTo("completed")));
        CrossValidation res = Contracts.parse(KAFKA.await(Topic.TRAINING_CROSSVAL.topicName(),
                r -> r.value().contains(resumed), Duration.ofSeconds(30)).value(), CrossValidation.class);
        for (int i = 0; i < 3; i++) {
            assertEquals(src.folds().get(i).metrics().get("macro_f1"), res.folds().get(i).metrics().get("macro_f1"),
                    1e-9, "fold " + i + " as in the identical run");
        }
        String foldTraining = resumed + "-" + firstFold;
        List<TrainingProgress> foldEvents = KAFKA.readToEnd(Topic.TRAINING_PROGRESS.topicName()).stream()
                .filter(r -> foldTraining.equals(r.key())).map(r -> Contracts.parse(r.value(), TrainingProgress.class))
                .toList();
        assertTrue(foldEvents.stream().noneMatch(e -> e.state() == JobState.RUNNING && e.epoch() >= 1),
                "the checkpointed fold trained no epoch again: " + foldEvents);
        String secondTraining = resumed + "-" + dev.emotion.training.jobs.CrossValidations.foldName(1);
        assertTrue(KAFKA.readToEnd(Topic.TRAINING_PROGRESS.topicName()).stream().filter(r -> secondTraining.equals(
                r.key())).map(r -> Contracts.parse(r.value(), TrainingProgress.class)).anyMatch(e -> e.epoch() == 1),
                "the next fold trained its epoch");
    }

    @Test
    void aCancelledCrossValidationStopsItsFoldFreesTheWorkerAndStaysCancelled() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/v1/datasets/" + STUDY).then()
                .statusCode(200).body("trainable", equalTo(true)));
        // 3 folds of 40 epochs: minutes of work, unless the cancellation stops it
        String id = given().header("X-API-Key", "test-secret").contentType(ContentType.JSON)
                .body(Map.of("studyId", STUDY, "model", "cnn_simple", "task", "emotion_class", "folds", 3,
                        "epochs", 40, "patience", 40, "batchSize", 16))
                .post("/api/v1/cross-validations").then().statusCode(202).extract().path("crossValidationId");
        java.util.function.Supplier<List<TrainingProgress>> foldEvents = () -> KAFKA.readToEnd(
                Topic.TRAINING_PROGRESS.topicName()).stream().filter(r -> r.key().startsWith(id + "-"))
                .map(r -> Contracts.parse(r.value(), TrainingProgress.class)).toList();
        await().atMost(Duration.ofSeconds(180)).until(() -> foldEvents.get().stream()
                .anyMatch(e -> e.state() == JobState.RUNNING && e.epoch() >= 1));
        given().delete("/api/v1/cross-validations/" + id).then().statusCode(401);
        given().header("X-API-Key", "test-secret").delete("/api/v1/cross-validations/" + id).then().statusCode(202)
                .body("cancelling", equalTo(true));
        given().get("/api/v1/cross-validations/" + id).then().statusCode(200).body("state", equalTo("cancelled"));
        // the fold's run ends as cancelled: the worker stopped it at a batch
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<TrainingProgress> events = foldEvents.get();
            assertEquals(JobState.CANCELLED, events.get(events.size() - 1).state(), events.toString());
        });
        // the worker is free: the next cross-validation (the zero-training baseline, seconds) completes
        String next = given().header("X-API-Key", "test-secret").contentType(ContentType.JSON)
                .body(Map.of("studyId", STUDY, "model", "face_expression_baseline", "task", "emotion_class",
                        "folds", 3))
                .post("/api/v1/cross-validations").then().statusCode(202).extract().path("crossValidationId");
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> given().get("/api/v1/cross-validations/" + next)
                .then().statusCode(200).body("state", equalTo("completed")));
        // it stayed cancelled, with no fold done, and cannot be cancelled twice
        given().get("/api/v1/cross-validations/" + id).then().statusCode(200).body("state", equalTo("cancelled"))
                .body("folds.size()", equalTo(0));
        given().header("X-API-Key", "test-secret").delete("/api/v1/cross-validations/" + id).then()
                .statusCode(400).body("detail", containsString("already ended"));
    }

    @Test
    void badRequestsAndPretrainedWithoutWeightsAreRefusedWithTheReason() {
        given().header("X-API-Key", "test-secret").contentType(ContentType.JSON).body(Map.of("studyId", STUDY, "model", "vgg", "task", "emotion_class"))
                .post("/api/v1/trainings").then().statusCode(400)
                .body("detail", containsString("model 'vgg' is not one of [cnn_simple, vit_scratch"));
        given().header("X-API-Key", "test-secret").contentType(ContentType.JSON).body(Map.of("studyId", "nope", "model", "cnn_simple",
                "task", "emotion_class")).post("/api/v1/trainings").then().statusCode(400)
                .body("detail", containsString("no ingested study 'nope'"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/v1/datasets/" + STUDY).then()
                .statusCode(200));
        // refused before queueing, saying where the weights go
        given().header("X-API-Key", "test-secret").contentType(ContentType.JSON)
                .body(Map.of("studyId", STUDY, "model", "vit_pretrained", "task", "emotion_class"))
                .post("/api/v1/trainings").then().statusCode(400)
                .body("detail", containsString("no pretrained weights for vit_pretrained backbone vit_b_16"))
                .body("detail", containsString("vit_b_16.safetensors"));
        given().header("X-API-Key", "test-secret").contentType(ContentType.JSON)
                .body(Map.of("studyId", STUDY, "model", "resnet_pretrained", "task", "emotion_class", "weights",
                        "/nowhere/resnet50.safetensors")).post("/api/v1/trainings").then().statusCode(400)
                .body("detail", containsString("at /nowhere/resnet50.safetensors"));
        given().header("X-API-Key", "test-secret").contentType(ContentType.JSON)
                .body(Map.of("studyId", STUDY, "model", "resnet_pretrained", "task", "emotion_class", "backbone",
                        "vit_b_16")).post("/api/v1/trainings").then().statusCode(400)
                .body("detail", containsString("choose one of: resnet50, resnet34-faces, face-expression"));
        given().header("X-API-Key", "test-secret").contentType(ContentType.JSON)
                .body(Map.of("studyId", STUDY, "model", "cnn_simple", "task", "emotion_class", "unfreezeLastBlock",
                        true)).post("/api/v1/trainings").then().statusCode(400)
                .body("detail", containsString("unfreezeLastBlock applies to resnet_pretrained and vit_pretrained only"));
        given().header("X-API-Key", "test-secret").contentType(ContentType.JSON)
                .body(Map.of("studyId", STUDY, "model", "face_expression_baseline", "task", "attention_regression"))
                .post("/api/v1/trainings").then().statusCode(400)
                .body("detail", containsString("only predicts emotion_class"));
        given().get("/q/health/ready").then().statusCode(200);
    }

    private static long labelled(Split split) {
        return published.labelled(split);
    }
}
