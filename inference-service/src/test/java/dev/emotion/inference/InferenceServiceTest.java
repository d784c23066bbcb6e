package dev.emotion.inference;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emotion.core.contract.Architecture;
import dev.emotion.core.contract.Contract;
import dev.emotion.core.contract.Contracts;
import dev.emotion.core.contract.EvaluationReport;
import dev.emotion.core.contract.InferenceFrame;
import dev.emotion.core.contract.InferencePrediction;
import dev.emotion.core.contract.Task;
import dev.emotion.core.contract.Topic;
import dev.emotion.core.inference.FaceTracks;
import dev.emotion.core.synth.SyntheticStudy;
import dev.emotion.testkit.ArtifactServer;
import dev.emotion.testkit.KafkaProbe;
import dev.emotion.testkit.RealKafkaBroker;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The served model follows the evaluation's recommendation (downloaded over HTTP, announced on Kafka); real photos,
 * rendered faces and a video are scored; a hot swap under concurrent load fails no request; frames round-trip
 * through the real broker; every kind of bad input gets a clear 4xx.
 */
@QuarkusTest
@WithTestResource(RealKafkaBroker.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InferenceServiceTest {

    private static final KafkaProbe KAFKA = new KafkaProbe();
    private static final String STUDY = "infer-study-" + UUID.randomUUID();
    private static final String A = STUDY + "-a";
    private static final String B = STUDY + "-b";
    private static final String C = STUDY + "-affect";
    private static ArtifactServer registry;
    private static Path video;

    @BeforeAll
    static void models() throws IOException {
        registry = new ArtifactServer();
        registry.serve(A, Architecture.CNN_SIMPLE, Task.EMOTION_CLASS, STUDY, 1, true); // participant baselines
        registry.serve(B, Architecture.CNN_SIMPLE, Task.EMOTION_CLASS, STUDY, 2);
        registry.serve(C, Architecture.CNN_SIMPLE, Task.AFFECT, STUDY, 3);
        video = SyntheticStudy.generate(new SyntheticStudy.Spec("v", 1, 4, 320, 240, 30, 5),
                Path.of("target/test-data/video-" + UUID.randomUUID()), n -> { }).get(0).video();
    }

    @AfterAll
    static void close() {
        KAFKA.close();
        registry.close();
    }

    static byte[] messi() throws IOException {
        String dir = System.getenv("EMOTION_TESTDATA_DIR");
        Path base = dir != null && !dir.isBlank() ? Path.of(dir)
                : Path.of(System.getProperty("user.home"), ".cache", "emotion", "testdata");
        return Files.readAllBytes(base.resolve("messi5.jpg"));
    }

    @Test
    @Order(1)
    void notReadyUntilTheRecommendedModelIsLoadedThenServesIt() throws IOException {
        given().get("/q/health/ready").then().statusCode(503);
        given().contentType("image/jpeg").body(messi()).post(
                "/api/v1/predict").then().statusCode(503).body("detail", containsString("no model"));
        registry.announce(KAFKA, A, Architecture.CNN_SIMPLE, Task.EMOTION_CLASS, STUDY);
        registry.announce(KAFKA, B, Architecture.CNN_SIMPLE, Task.EMOTION_CLASS, STUDY);
        KAFKA.send(Topic.EVALUATION_REPORTS.topicName(), STUDY, Contracts.toJson(new EvaluationReport(
                Contract.CURRENT_VERSION, STUDY, "eval-" + UUID.randomUUID(), List.of(
                new EvaluationReport.ModelScore(A, Architecture.CNN_SIMPLE, Task.EMOTION_CLASS,
                        Map.of("macro_f1", 0.5), Map.of())), "http://localhost/reports/x/index.html", A,
                "best macro-F1", Instant.now())));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/v1/model").then()
                .log().ifValidationFails().statusCode(200).body("loadedModelId", equalTo(A)));
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    @Order(2)
    void scoresEveryFaceOfARealPhoto() throws IOException {
        Response r = given().contentType("image/jpeg").body(messi()).post("/api/v1/predict");
        r.then().statusCode(200).body("modelId", equalTo(A)).body("width", equalTo(548)).body("height", equalTo(342));
        List<Map<String, Object>> faces = r.jsonPath().getList("faces");
        assertTrue(faces.size() >= 1, "faces found on messi5.jpg: " + faces.size());
        @SuppressWarnings("unchecked")
        Map<String, Float> p = (Map<String, Float>) faces.get(0).get("probabilities");
        assertEquals(8, p.size());
        assertEquals(1.0, p.values().stream().mapToDouble(Float::doubleValue).sum(), 1e-4);
        assertTrue(p.containsKey(faces.get(0).get("dominant")));

        // A photo whose face fills it (a real labelled still, 350 x 350, the face about 310 px wide): MediaPipe misses
        // it as it is and finds it on a padded copy, the box mapped back onto the photo (clipped to it).
        byte[] still = java.nio.file.Files.readAllBytes(java.nio.file.Path.of("..", "datasets", "real-faces",
                "images", "AJ_Cook_0001.jpg"));
        Response s = given().contentType("image/jpeg").body(still).post("/api/v1/predict");
        s.then().statusCode(200).body("faces.size()", equalTo(1));
        int w = s.jsonPath().getInt("faces[0].box.width");
        int h = s.jsonPath().getInt("faces[0].box.height");
        assertTrue(w >= 280 && h >= 280, "the face fills the photo: box " + w + " x " + h);

        // a client that detects faces itself sends the crop: scored as a whole, no detection
        given().contentType("image/jpeg").body(messi()).queryParam("detect", false).post("/api/v1/predict").then()
                .statusCode(200).body("faces.size()", equalTo(1)).body("faces[0].box.width", equalTo(548))
                .body("faces[0].box.height", equalTo(342)).body("faces[0].faceId", equalTo(0));
        given().contentType("image/jpeg").body(new byte[] {1, 2, 3}).queryParam("detect", false)
                .post("/api/v1/predict").then().statusCode(415);
    }

    @Test
    @Order(3)
    void streamsAVideoFrameByFrameWhileDecoding() throws Exception {
        String url = "http://localhost:" + ConfigProvider.getConfig().getValue("quarkus.http.test-port",
                Integer.class) + "/api/v1/predict/video?fps=5&smooth=0.5";
        long t0 = System.nanoTime(); // from the start of the upload
        HttpResponse<InputStream> resp = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "video/mp4").POST(HttpRequest.BodyPublishers.ofFile(video)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, resp.statusCode());
        List<String> lines = new ArrayList<>();
        double firstMs = -1;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(resp.body()))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (firstMs < 0) {
                    firstMs = (System.nanoTime() - t0) / 1e6;
                }
                lines.add(line);
            }
        }
        double totalMs = (System.nanoTime() - t0) / 1e6;
        System.out.printf("video: first NDJSON line %.0f ms after the upload began, all %d lines after %.0f ms%n",
                firstMs,
                lines.size(), totalMs);
        assertTrue(lines.size() >= 18 && lines.size() <= 22, "about 5 fps x 4 s: " + lines.size());
        assertTrue(firstMs < totalMs, "the first frame arrives before the last");
        int withFace = 0;
        int warm = 0;
        for (String l : lines) {
            var node = Contracts.mapper().readTree(l);
            assertTrue(!node.has("error"), l);
            withFace += node.path("faces").size() > 0 ? 1 : 0;
            for (var face : node.path("faces")) {
                var baseline = face.path("baseline");
                assertTrue(baseline.isObject(), "model A uses participant baselines; every face says how: " + l);
                assertEquals(baseline.path("frames").asLong() >= FaceTracks.WARM_FRAMES,
                        baseline.path("warm").asBoolean(), l);
                warm += baseline.path("warm").asBoolean() ? 1 : 0;
            }
        }
        assertTrue(withFace >= lines.size() - 3, "the rendered face is found in nearly every frame: " + withFace);
        assertTrue(warm >= 1 && warm <= lines.size() - FaceTracks.WARM_FRAMES + 1,
                "the face's own baseline is used after the warm-up: " + warm + " of " + lines.size());
    }

    @Test
    @Order(4)
    void hotSwapUnderConcurrentRequestsFailsNothing() throws Exception {
        byte[] photo = messi();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        Set<String> served = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            clients.add(pool.submit(() -> {
                while (!stop.get()) {
                    Response r = given().contentType("image/jpeg").body(photo).post("/api/v1/predict");
                    if (r.statusCode() != 200) {
                        failures.incrementAndGet();
                    } else {
                        served.add(r.jsonPath().getString("modelId"));
                    }
                    done.incrementAndGet();
                }
            }));
        }
        for (String target : List.of(B, A, B)) {
            Thread.sleep(400);
            given().header("X-API-Key", "test-secret").contentType(ContentType.JSON)
                    .body(Map.of("modelId", target)).put("/api/v1/model").then().statusCode(200)
                    .body("loadedModelId", equalTo(target));
        }
        Thread.sleep(400);
        stop.set(true);
        for (Future<?> f : clients) {
            f.get();
        }
        pool.shutdown();
        System.out.printf("hot swap: %d requests, %d failures, models served %s%n", done.get(), failures.get(),
                served);
        assertEquals(0, failures.get());
        assertEquals(Set.of(A, B), served);
    }

    @Test
    @Order(5)
    void framesRoundTripThroughTheBroker() throws IOException {
        String stream = "stream-" + UUID.randomUUID();
        byte[] photo = messi();
        AtomicInteger seq = new AtomicInteger();
        // The frames consumer starts at the log end: resend until its partitions are assigned and one is scored.
        var record = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            KAFKA.send(Topic.INFERENCE_FRAMES.topicName(), stream, Contracts.toJson(new InferenceFrame(
                    Contract.CURRENT_VERSION, stream, (long) seq.getAndIncrement(), 0L, photo, Instant.now())));
            return KAFKA.readToEnd(Topic.INFERENCE_PREDICTIONS.topicName()).stream()
                    .filter(r -> stream.equals(r.key())).findFirst().orElse(null);
        }, java.util.Objects::nonNull);
        InferencePrediction p = Contracts.parse(record.value(), InferencePrediction.class);
        assertEquals(stream, p.streamId());
        assertTrue(p.error() == null && !p.faces().isEmpty(), record.value());

        String bad = "stream-" + UUID.randomUUID();
        byte[] truncated = Arrays.copyOf(photo, photo.length / 2);
        KAFKA.send(Topic.INFERENCE_FRAMES.topicName(), bad, Contracts.toJson(new InferenceFrame(
                Contract.CURRENT_VERSION, bad, 0L, 0L, truncated, Instant.now())));
        InferencePrediction e = Contracts.parse(KAFKA.await(Topic.INFERENCE_PREDICTIONS.topicName(),
                r -> bad.equals(r.key()), Duration.ofSeconds(30)).value(), InferencePrediction.class);
        assertTrue(e.error().contains("truncated"), e.error());
    }

    @Test
    @Order(6)
    void badInputsGetClearErrors() throws IOException {
        byte[] photo = messi();
        given().contentType("image/jpeg").body(new byte[0]).post("/api/v1/predict").then().statusCode(400)
                .body("detail", containsString("empty"));
        given().contentType("image/jpeg").body("hello, not an image".getBytes()).post("/api/v1/predict").then()
                .statusCode(415).body("detail", containsString("not a JPEG or PNG"));
        given().contentType("image/jpeg").body(Arrays.copyOf(photo, photo.length - 500)).post("/api/v1/predict")
                .then().statusCode(400).body("detail", containsString("truncated"));
        byte[] hugePng = new byte[64];
        byte[] header = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D', 'R',
                0, 1, (byte) 0x86, (byte) 0xA0, 0, 1, (byte) 0x86, (byte) 0xA0};
        System.arraycopy(header, 0, hugePng, 0, header.length);
        given().contentType("image/png").body(hugePng).post("/api/v1/predict").then().statusCode(413)
                .body("detail", containsString("100000x100000"));
        given().contentType("text/plain").body("x").post("/api/v1/predict").then().statusCode(415);
        given().contentType("video/mp4").body("definitely not a video".getBytes()).post("/api/v1/predict/video")
                .then().statusCode(400).body("detail", containsString("not a readable video"));
        given().contentType("video/mp4").body(new byte[10]).queryParam("fps", 0).post("/api/v1/predict/video")
                .then().statusCode(400).body("detail", containsString("fps"));
        given().contentType(ContentType.JSON).body(Map.of("modelId", A)).put("/api/v1/model").then()
                .statusCode(401);
        given().header("X-API-Key", "test-secret").contentType(ContentType.JSON).body(Map.of("modelId", "nope"))
                .put("/api/v1/model").then().statusCode(404).body("detail", containsString("nope"));
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("emotion_inference_rejected_total{reason=\"too_large\"}"), "rejections counted");
    }

    /**
     * Many more WebSocket clients than the cap (200 against the default 64) connect at once: exactly the cap is served, the others
     * are told why and closed, HTTP keeps answering, the scoring threads stay a fixed pool, and a freed place can be
     * taken again.
     */
    @Test
    @Order(8)
    void streamConnectionsAreCappedAndThreadsBounded() throws Exception {
        int cap = ConfigProvider.getConfig().getValue("emotion.inference.stream.max-connections", Integer.class);
        int threadsBefore = Thread.activeCount();
        long heapBefore = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        List<Collector> clients = new ArrayList<>();
        List<java.util.concurrent.CompletableFuture<java.net.http.WebSocket>> sockets = new ArrayList<>();
        HttpClient http = HttpClient.newHttpClient();
        String url = "ws://localhost:" + ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class)
                + "/api/v1/stream";
        for (int i = 0; i < Math.max(200, 3 * cap); i++) { // the 200 clients against the default cap
            Collector c = new Collector();
            clients.add(c);
            sockets.add(http.newWebSocketBuilder().buildAsync(URI.create(url), c));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> clients.stream().allMatch(c -> !c.messages.isEmpty()));
        long served = clients.stream().filter(c -> c.messages.get(0).contains("\"stream\"")).count();
        long refused = clients.stream().filter(c -> c.messages.get(0).contains("at most " + cap)).count();
        given().get("/q/health/live").then().statusCode(200);
        int threadsDuring = Thread.activeCount();
        long scoringThreads = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("stream-scoring")).count();
        System.out.printf("%d WebSocket clients against a cap of %d: %d served, %d refused; threads %d -> %d "
                + "(scoring pool %d); heap %.0f -> %.0f MB%n", clients.size(), cap, served, refused, threadsBefore,
                threadsDuring, scoringThreads, heapBefore / 1e6,
                (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / 1e6);
        assertEquals(cap, served, "exactly the cap is served");
        assertEquals(clients.size() - cap, refused, "every other client is told why");
        assertTrue(scoringThreads <= ConfigProvider.getConfig().getValue("emotion.inference.stream.workers",
                Integer.class), "a fixed scoring pool: " + scoringThreads);
        for (java.util.concurrent.CompletableFuture<java.net.http.WebSocket> f : sockets) {
            f.join().sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "done");
        }
        Collector again = new Collector();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            again.messages.clear();
            java.net.http.WebSocket ws = connect("", again);
            await().atMost(Duration.ofSeconds(10)).until(() -> !again.messages.isEmpty());
            ws.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "done");
            assertTrue(again.messages.get(0).contains("\"stream\""), "a freed place is taken: " + again.messages);
        });
    }

    /** A WebSocket client that collects the text messages in arrival order. */
    static final class Collector implements java.net.http.WebSocket.Listener {
        final List<String> messages = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket ws, CharSequence data,
                                                               boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        List<Map<String, Object>> json() throws IOException {
            List<Map<String, Object>> out = new ArrayList<>();
            for (String m : messages) {
                @SuppressWarnings("unchecked")
                Map<String, Object> v = Contracts.mapper().readValue(m, Map.class);
                out.add(v);
            }
            return out;
        }
    }

    static java.net.http.WebSocket connect(String query, Collector c) {
        String url = "ws://localhost:" + ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class)
                + "/api/v1/stream" + query;
        return HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(url), c).join();
    }

    static java.nio.ByteBuffer frame(long seq, byte[] image) {
        return java.nio.ByteBuffer.allocate(8 + image.length).putLong(seq).put(image).flip();
    }

    static List<Long> seqs(List<Map<String, Object>> replies) {
        return replies.stream().filter(m -> m.containsKey("seq")).map(m -> ((Number) m.get("seq")).longValue())
                .toList();
    }

    @Test
    @Order(7)
    void webSocketStreamAnswersEveryFrameInOrderAndReportsDrops() throws Exception {
        byte[] photo = messi();
        // paced: one frame at a time, each answered with the faces
        Collector paced = new Collector();
        java.net.http.WebSocket ws = connect("", paced);
        await().atMost(Duration.ofSeconds(10)).until(() -> paced.messages.size() == 1); // the greeting
        assertTrue(paced.messages.get(0).contains("drop-oldest"), paced.messages.get(0));
        for (long seq = 1; seq <= 3; seq++) {
            ws.sendBinary(frame(seq, photo), true).join();
            int want = (int) seq + 1;
            await().atMost(Duration.ofSeconds(30)).until(() -> paced.messages.size() == want);
        }
        List<Map<String, Object>> replies = paced.json().subList(1, 4);
        assertEquals(List.of(1L, 2L, 3L), seqs(replies));
        for (Map<String, Object> r : replies) {
            assertTrue(r.get("modelId") != null && !((List<?>) r.get("faces")).isEmpty(), r.toString());
        }
        ws.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "done").join();

        // a burst that outruns the model: every frame answered once, in order, some dropped (oldest first)
        for (String policy : List.of("drop-oldest", "reject")) {
            Collector burst = new Collector();
            java.net.http.WebSocket b = connect("?policy=" + policy + "&queue=2", burst);
            await().atMost(Duration.ofSeconds(10)).until(() -> burst.messages.size() == 1);
            for (long seq = 1; seq <= 20; seq++) {
                b.sendBinary(frame(seq, photo), true).join();
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> burst.messages.size() == 21);
            List<Map<String, Object>> all = burst.json().subList(1, 21);
            List<Long> order = seqs(all);
            assertEquals(java.util.stream.LongStream.rangeClosed(1, 20).boxed().toList(), order,
                    policy + ": one reply per frame, in sequence order");
            long dropped = all.stream().filter(m -> Boolean.TRUE.equals(m.get("dropped"))).count();
            long scored = all.stream().filter(m -> m.containsKey("faces")).count();
            assertTrue(dropped >= 1 && scored >= 2 && dropped + scored == 20, policy + ": " + dropped + " dropped, "
                    + scored + " scored");
            assertTrue(all.stream().filter(m -> Boolean.TRUE.equals(m.get("dropped")))
                    .allMatch(m -> m.get("reason").toString().contains(policy)), policy);
            b.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "done").join();
        }

        // out of order and bad frames are answered with an error; the stream goes on
        Collector bad = new Collector();
        java.net.http.WebSocket w = connect("", bad);
        await().atMost(Duration.ofSeconds(10)).until(() -> bad.messages.size() == 1);
        w.sendBinary(frame(5, photo), true).join();
        await().atMost(Duration.ofSeconds(30)).until(() -> bad.messages.size() == 2);
        w.sendBinary(frame(3, photo), true).join();
        w.sendBinary(frame(6, "not an image at all".getBytes()), true).join();
        w.sendBinary(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}), true).join();
        w.sendBinary(frame(7, photo), true).join();
        await().atMost(Duration.ofSeconds(30)).until(() -> bad.messages.size() == 6);
        String text = String.join("\n", bad.messages);
        assertTrue(text.contains("out of order: frame 3 after frame 5"), text);
        assertTrue(text.contains("\"seq\":6,\"error\""), text);
        assertTrue(text.contains("8-byte big-endian sequence number"), text);
        assertTrue(bad.json().get(bad.messages.size() - 1).containsKey("faces"), "frame 7 is still scored: " + text);
        w.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "done").join();

        Collector wrong = new Collector();
        connect("?policy=sometimes", wrong);
        await().atMost(Duration.ofSeconds(10)).until(() -> wrong.messages.size() == 1);
        assertTrue(wrong.messages.get(0).contains("policy must be drop-oldest or reject"), wrong.messages.get(0));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("emotion_inference_stream_frames_total{outcome=\"dropped\""))
                .body(containsString("outcome=\"out_of_order\""));
    }

    /**
     * An affect model served: every path (HTTP, the video's NDJSON and CSV, WebSocket, Kafka) carries its every
     * output: the emotions, the 20 AFFDEX expressions, valence, engagement and attention.
     */
    @Test
    @Order(9)
    void anAffectModelsEveryOutputReachesEveryPath() throws Exception {
        registry.announce(KAFKA, C, Architecture.CNN_SIMPLE, Task.AFFECT, STUDY);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().header("X-API-Key", "test-secret")
                .contentType(ContentType.JSON).body(Map.of("modelId", C)).put("/api/v1/model").then()
                .statusCode(200).body("loadedModelId", equalTo(C)));
        byte[] photo = messi();
        java.util.function.Consumer<Map<String, Object>> complete = face -> {
            assertEquals(8, ((Map<?, ?>) face.get("probabilities")).size(), face.toString());
            Map<?, ?> expressions = (Map<?, ?>) face.get("expressions");
            assertEquals(dev.emotion.core.contract.EmotionLabels.AFFDEX_EXPRESSIONS, List.copyOf(
                    expressions.keySet().stream().map(Object::toString).toList()), face.toString());
            for (String unit : List.of("valence", "engagement", "attention")) {
                assertTrue(face.get(unit) instanceof Number, unit + " in " + face);
            }
        };
        // the same photo through another path gives the same outputs (one model, no state for a model without
        // participant baselines)
        java.util.function.BiConsumer<Map<String, Object>, Map<String, Object>> same = (a, b) -> {
            for (String unit : List.of("valence", "engagement", "attention")) {
                assertEquals(((Number) a.get(unit)).doubleValue(), ((Number) b.get(unit)).doubleValue(), 1e-5,
                        unit);
            }
            Map<?, ?> x = (Map<?, ?>) a.get("expressions");
            Map<?, ?> y = (Map<?, ?>) b.get("expressions");
            x.forEach((k, v) -> assertEquals(((Number) v).doubleValue(), ((Number) y.get(k)).doubleValue(), 1e-5,
                    "expression " + k));
        };
        List<Map<String, Object>> http = given().contentType("image/jpeg").body(photo).post("/api/v1/predict")
                .then().statusCode(200).body("modelId", equalTo(C)).extract().jsonPath().getList("faces");
        assertTrue(!http.isEmpty());
        http.forEach(complete);

        String base = "http://localhost:" + ConfigProvider.getConfig().getValue("quarkus.http.test-port",
                Integer.class) + "/api/v1/predict/video?fps=2";
        HttpResponse<String> ndjson = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base))
                .header("Content-Type", "video/mp4").POST(HttpRequest.BodyPublishers.ofFile(video)).build(),
                HttpResponse.BodyHandlers.ofString());
        int faces = 0;
        Map<Long, Map<String, Object>> firstFaceByFrame = new java.util.HashMap<>();
        for (String line : ndjson.body().split("\n")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> frame = Contracts.mapper().readValue(line, Map.class);
            for (Object f : (List<?>) frame.get("faces")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> face = (Map<String, Object>) f;
                complete.accept(face);
                firstFaceByFrame.putIfAbsent(((Number) frame.get("frame")).longValue(), face);
                faces++;
            }
        }
        assertTrue(faces >= 4, ndjson.body());
        HttpResponse<String> csv = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base))
                .header("Content-Type", "video/mp4").header("Accept", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofFile(video)).build(), HttpResponse.BodyHandlers.ofString());
        String[] rows = csv.body().split("\n");
        List<String> header = List.of(rows[0].split(","));
        int checked = 0;
        for (int i = 1; i < rows.length; i++) { // each CSV row with a face: the NDJSON's outputs on AFFDEX's scale
            String[] row = rows[i].split(",", -1);
            Map<String, Object> face = firstFaceByFrame.get(Long.parseLong(row[header.indexOf("FrameNo")]));
            if (face == null || row[header.indexOf("FaceId")].isEmpty()) {
                continue;
            }
            assertEquals(100 * ((Number) face.get("valence")).doubleValue(),
                    Double.parseDouble(row[header.indexOf("Valence")]), 0.01, rows[i]);
            assertEquals(100 * ((Number) face.get("attention")).doubleValue(),
                    Double.parseDouble(row[header.indexOf("Attention")]), 0.01, rows[i]);
            assertEquals(100 * ((Number) ((Map<?, ?>) face.get("expressions")).get("Smile")).doubleValue(),
                    Double.parseDouble(row[header.indexOf("Smile")]), 0.01, rows[i]);
            checked++;
        }
        assertTrue(checked >= 4, "CSV rows matched to NDJSON faces: " + checked);

        Collector ws = new Collector();
        java.net.http.WebSocket socket = connect("", ws);
        await().atMost(Duration.ofSeconds(10)).until(() -> ws.messages.size() == 1);
        socket.sendBinary(frame(1, photo), true).join();
        await().atMost(Duration.ofSeconds(30)).until(() -> ws.messages.size() == 2);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> wsFaces = (List<Map<String, Object>>) ws.json().get(1).get("faces");
        wsFaces.forEach(complete);
        same.accept(http.get(0), wsFaces.get(0));
        socket.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "done").join();

        String stream = "affect-" + UUID.randomUUID();
        KAFKA.send(Topic.INFERENCE_FRAMES.topicName(), stream, Contracts.toJson(new InferenceFrame(
                Contract.CURRENT_VERSION, stream, 0L, 0L, photo, Instant.now())));
        InferencePrediction p = Contracts.parse(KAFKA.await(Topic.INFERENCE_PREDICTIONS.topicName(),
                r -> stream.equals(r.key()), Duration.ofSeconds(30)).value(), InferencePrediction.class);
        assertEquals(C, p.modelId());
        @SuppressWarnings("unchecked")
        Map<String, Object> kafkaFace = Contracts.mapper().convertValue(p.faces().get(0), Map.class);
        complete.accept(kafkaFace);
        same.accept(http.get(0), kafkaFace);
    }
}
