package dev.emotion.ingest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emotion.core.contract.Contracts;
import dev.emotion.core.contract.FaceBatch;
import dev.emotion.core.contract.IngestCompleted;
import dev.emotion.core.contract.Split;
import dev.emotion.core.contract.Topic;
import dev.emotion.core.synth.SyntheticStudy;
import dev.emotion.testkit.KafkaProbe;
import dev.emotion.testkit.RealKafkaBroker;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Ingest of generated video through the real broker: what is published is read back and checked. */
@QuarkusTest
@WithTestResource(RealKafkaBroker.class)
class IngestJobsTest {

    private static final KafkaProbe KAFKA = new KafkaProbe();
    private static final Path DATA = Path.of("target/test-data");
    private static String folder;

    @BeforeAll
    static void generate() throws IOException {
        folder = "synth-" + UUID.randomUUID();
        SyntheticStudy.generate(new SyntheticStudy.Spec("ingest-test", 2, 6, 320, 240, 30, 5), DATA.resolve(folder),
                n -> { });
    }

    @AfterAll
    static void close() {
        KAFKA.close();
    }

    @Test
    void aGeneratedParticipantIsPublishedAsBatchesAndAManifest() {
        String study = "study-" + UUID.randomUUID();
        String jobId = given().contentType(ContentType.JSON)
                .body(Map.of("studyId", study, "participantId", "p01", "video", folder + "/p01.mp4",
                        "labels", folder + "/p01.csv", "split", "val"))
                .post("/api/v1/ingest/jobs").then().statusCode(202).body("state", equalTo("queued"))
                .extract().path("jobId");
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> given().get("/api/v1/ingest/jobs/" + jobId)
                .then().statusCode(200).body("state", equalTo("completed")));

        IngestCompleted manifest = Contracts.parse(KAFKA.await(Topic.INGEST_COMPLETED.topicName(),
                r -> r.value().contains(jobId), Duration.ofSeconds(30)).value(), IngestCompleted.class);
        assertEquals(study, manifest.studyId());
        assertEquals("imotions", manifest.labelSource());
        assertEquals("mediapipe-full-range", manifest.detector().name());
        assertEquals(false, manifest.detector().fallback());
        var p = manifest.participants().get(0);
        assertEquals(Split.VAL, p.split());
        assertEquals(180L, p.frames(), "6 s at 30 fps");
        assertTrue(p.faces() >= 170, "faces " + p.faces());
        var read = new dev.emotion.core.labels.AffdexCsvReader().read(DATA.resolve(folder).resolve("p01.csv"));
        assertEquals(new IngestCompleted.LabelFile("imotions", "0-100", (long) read.samples().size(),
                read.noFaceRows(), 0L), p.labelFile(), "the manifest says how the label file was read");
        assertTrue(p.labelFile().rows() >= 100, "rows " + p.labelFile().rows());

        List<FaceBatch> batches = KAFKA.readToEnd(Topic.INGEST_FRAMES.topicName()).stream()
                .filter(r -> r.value().contains(jobId))
                .map(r -> {
                    assertEquals(study + "/p01", r.key());
                    return Contracts.parse(r.value(), FaceBatch.class);
                })
                .sorted(Comparator.comparing(FaceBatch::batchIndex)).toList();
        assertEquals(p.batches(), (long) batches.size());
        for (int i = 0; i < batches.size(); i++) {
            assertEquals(i, batches.get(i).batchIndex());
            assertEquals(Split.VAL, batches.get(i).split());
            assertTrue(batches.get(i).key().length() > 0);
        }
        long faces = batches.stream().mapToLong(b -> b.frames().size()).sum();
        long labelled = batches.stream().flatMap(b -> b.frames().stream()).filter(f -> f.dominant() != null).count();
        long annotated = batches.stream().flatMap(b -> b.frames().stream()).filter(f -> f.labels() != null).count();
        assertEquals(p.faces(), faces);
        assertEquals(p.labelled(), labelled);
        assertEquals(labelled, manifest.labelCounts().values().stream().mapToLong(Long::longValue).sum());
        assertEquals(annotated - labelled, manifest.excluded().values().stream().mapToLong(Long::longValue).sum(),
                "annotated frames without a dominant label are counted as excluded, with the reason");

        given().get("/api/v1/ingest/jobs/" + jobId + "/events").then().statusCode(200)
                .body(containsString("\"state\":\"completed\""));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/v1/studies/" + study)
                .then().statusCode(200).body("facesPerSplit.val", equalTo((int) faces)));

        // p01 is in val: re-ingesting them into test would put one person in two splits, and is refused by name
        given().contentType(ContentType.JSON).body(Map.of("studyId", study, "participantId", "p01", "video",
                        folder + "/p01.mp4", "split", "test")).post("/api/v1/ingest/jobs").then().statusCode(400)
                .body(containsString("participant p01 of study " + study + " is already in the val split"));
    }

    @Test
    void anUploadedVideoAndLabelsAreIngested() {
        String study = "study-" + UUID.randomUUID();
        String jobId = given().multiPart("studyId", study).multiPart("participantId", "p02")
                .multiPart("split", "train")
                .multiPart("video", DATA.resolve(folder + "/p02.mp4").toFile(), "video/mp4")
                .multiPart("labels", DATA.resolve(folder + "/p02.csv").toFile(), "text/csv")
                .post("/api/v1/ingest/jobs").then().statusCode(202).extract().path("jobId");
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> given().get("/api/v1/ingest/jobs/" + jobId)
                .then().statusCode(200).body("state", equalTo("completed")).body("participantId", equalTo("p02")));
    }

    /** A zip as ./emotion import makes it: labels.csv at the top and the files it names. */
    static byte[] zip(Map<String, byte[]> files) throws IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var z = new java.util.zip.ZipOutputStream(bytes)) {
            for (var e : files.entrySet()) {
                z.putNextEntry(new java.util.zip.ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void aStudyOfRealStillsAndAClipIsIngestedAndBadRowsAreRefusedByRow() throws IOException {
        Path real = Path.of("..", "datasets", "real-faces", "images");
        List<Path> photos;
        try (var files = Files.list(real)) {
            photos = files.sorted().limit(3).toList();
        }
        Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        files.put("a/" + photos.get(0).getFileName(), Files.readAllBytes(photos.get(0)));
        files.put("a/" + photos.get(1).getFileName(), Files.readAllBytes(photos.get(1)));
        files.put("b/" + photos.get(2).getFileName(), Files.readAllBytes(photos.get(2)));
        files.put("clips/p01.mp4", Files.readAllBytes(DATA.resolve(folder + "/p01.mp4")));
        files.put("labels.csv", ("file,label,subject,split\n"
                + "a/" + photos.get(0).getFileName() + ",happy,ann,train\n"
                + "a/" + photos.get(1).getFileName() + ",sad,ann,train\n"
                + "b/" + photos.get(2).getFileName() + ",surprised,bob,test\n"
                + "clips/p01.mp4,anger,cy,val\n").getBytes());
        String study = "stills-" + UUID.randomUUID();
        String jobId = given().multiPart("studyId", study).multiPart("maxFps", "2")
                .multiPart("archive", "study.zip", zip(files), "application/zip")
                .post("/api/v1/ingest/jobs/stills").then().statusCode(202).extract().path("jobId");
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> given().get("/api/v1/ingest/jobs/" + jobId)
                .then().statusCode(200).body("state", equalTo("completed")));
        IngestCompleted manifest = Contracts.parse(KAFKA.await(Topic.INGEST_COMPLETED.topicName(),
                r -> r.value().contains(jobId), Duration.ofSeconds(30)).value(), IngestCompleted.class);
        assertTrue(manifest.stills());
        assertEquals("subject", manifest.grouping());
        assertEquals(List.of(), manifest.noFace(), "every photo and the clip show a face");
        Map<String, Split> splits = new java.util.TreeMap<>();
        manifest.participants().forEach(p -> splits.put(p.participantId(), p.split()));
        assertEquals(Map.of("ann", Split.TRAIN, "bob", Split.TEST, "cy", Split.VAL), splits);
        assertEquals(1L, manifest.labelCounts().get("joy"));
        assertEquals(1L, manifest.labelCounts().get("sadness"));
        assertEquals(1L, manifest.labelCounts().get("surprise"));
        // The 6 s clip sampled at 2 fps: every sampled frame's face carries the clip's label.
        assertEquals(12L, manifest.labelCounts().get("anger"));
        List<FaceBatch> clip = KAFKA.readToEnd(Topic.INGEST_FRAMES.topicName()).stream()
                .filter(r -> r.value().contains(jobId)).map(r -> Contracts.parse(r.value(), FaceBatch.class))
                .filter(b -> b.participantId().equals("cy")).toList();
        assertEquals("clips_p01.mp4", clip.get(0).videoId());
        assertTrue(clip.stream().flatMap(b -> b.frames().stream()).allMatch(f -> "anger".equals(f.dominant())));

        // A person in two splits and an unknown label are refused naming the row; nothing is queued.
        files.put("labels.csv", ("file,label,subject,split\n"
                + "a/" + photos.get(0).getFileName() + ",happy,ann,train\n"
                + "a/" + photos.get(1).getFileName() + ",sad,ann,test\n").getBytes());
        given().multiPart("studyId", study).multiPart("archive", "study.zip", zip(files), "application/zip")
                .post("/api/v1/ingest/jobs/stills").then().statusCode(400)
                .body("detail", containsString("row 3")).body("detail", containsString("subject 'ann'"));
        files.put("labels.csv", ("file,label\na/" + photos.get(0).getFileName() + ",bored\n").getBytes());
        given().multiPart("studyId", study).multiPart("archive", "study.zip", zip(files), "application/zip")
                .post("/api/v1/ingest/jobs/stills").then().statusCode(400)
                .body("detail", containsString("row 2")).body("detail", containsString("'bored'"));
        given().multiPart("studyId", study).multiPart("archive", "evil.zip", zip(Map.of("../x.jpg", new byte[] {1})),
                "application/zip").post("/api/v1/ingest/jobs/stills").then().statusCode(400)
                .body("detail", containsString("'../x.jpg'"));
    }

    @Test
    void aCorruptVideoFailsTheJobAndNoManifestIsPublished() throws IOException {
        byte[] whole = Files.readAllBytes(DATA.resolve(folder + "/p01.mp4"));
        Path cut = DATA.resolve(folder + "/cut.mp4");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 3));
        String jobId = given().contentType(ContentType.JSON)
                .body(Map.of("studyId", "s-corrupt", "participantId", "p01", "video", folder + "/cut.mp4",
                        "labels", folder + "/p01.csv"))
                .post("/api/v1/ingest/jobs").then().statusCode(202).extract().path("jobId");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/v1/ingest/jobs/" + jobId)
                .then().statusCode(200).body("state", equalTo("failed"))
                .body("message", containsString("cut.mp4")));
        List<ConsumerRecord<String, String>> manifests = KAFKA.readToEnd(Topic.INGEST_COMPLETED.topicName());
        assertTrue(manifests.stream().noneMatch(r -> r.value().contains(jobId)), "no manifest for a failed job");
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void aLabelsFileIsAnsweredAsPerEmotionTraces() throws IOException {
        Path csv = DATA.resolve(folder).resolve("p01.csv");
        var track = new dev.emotion.core.labels.AffdexCsvReader().read(csv);
        var first = track.samples().stream().filter(x -> !x.isGap()).findFirst().orElseThrow();
        int at = track.samples().indexOf(first);
        var trace = given().multiPart("labels", csv.toFile(), "text/csv").post("/api/v1/labels/trace").then()
                .statusCode(200).body("file", equalTo("p01.csv")).body("samples", equalTo(track.samples().size()))
                .extract().jsonPath();
        assertEquals(track.samples().size(), trace.getList("timestampsMs").size());
        assertEquals(first.timestampMs(), trace.getLong("timestampsMs[" + at + "]"));
        assertEquals(first.labels().joy(), trace.getDouble("emotions.joy[" + at + "]"), 1e-9);
        assertEquals(first.labels().contempt(), trace.getDouble("emotions.contempt[" + at + "]"), 1e-9);
        assertEquals(List.of("joy", "anger", "fear", "disgust", "sadness", "surprise", "contempt"),
                List.copyOf(trace.getMap("emotions").keySet()));
        // a file the reader refuses: 400 naming the uploaded file's name, row and what is wrong
        Path bad = DATA.resolve(folder).resolve("broken.csv");
        Files.writeString(bad, "Timestamp,Joy,Anger\n0,12,oops\n");
        given().multiPart("labels", bad.toFile(), "text/csv").post("/api/v1/labels/trace").then().statusCode(400)
                .body("error", equalTo("invalid labels file")).body("detail", containsString("broken.csv"));
        given().multiPart("other", "x").post("/api/v1/labels/trace").then().statusCode(400)
                .body("detail", containsString("multipart field 'labels'"));
    }

    @Test
    void badRequestsAreRefusedWithWhatToFix() {
        post(Map.of("studyId", "s", "participantId", "p01", "video", "../../etc/passwd"))
                .body("detail", containsString("video '../../etc/passwd' is outside the data directory"));
        post(Map.of("studyId", "s", "participantId", "p01", "video", "nope.mp4"))
                .body("detail", containsString("video nope.mp4 does not exist"));
        post(Map.of("studyId", "bad id!", "participantId", "p01", "video", folder + "/p01.mp4"))
                .body("detail", containsString("studyId 'bad id!' must be"));
        post(Map.of("studyId", "s", "participantId", "p01", "video", folder + "/p01.mp4", "split", "holdout"))
                .body("detail", containsString("split 'holdout' is not one of train, val, test"));
        post(Map.of("studyId", "s", "participantId", "p01", "video", folder + "/p01.mp4",
                "labels", folder + "/p01.mp4"))
                .body("detail", containsString("p01.mp4"));
        post(Map.of("studyId", "s", "studyDir", folder + "/nothing-here"))
                .body("detail", containsString("is not a directory"));
    }

    private static io.restassured.response.ValidatableResponse post(Map<String, String> body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/v1/ingest/jobs").then().statusCode(400)
                .body("error", equalTo("invalid ingest request"));
    }
}
