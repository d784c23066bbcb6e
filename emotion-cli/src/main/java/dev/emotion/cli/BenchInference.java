package dev.emotion.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/** {@code bench-inference}: closed-loop load on POST /api/v1/predict from 1..N clients; prints a latency table. */
final class BenchInference {

    static final String HELP = """
            Usage: ./emotion bench-inference --image FILE [--clients 1,8,32] [--seconds 15] [--warmup 3] [--crop]
            Each client posts the image, waits for the answer, posts again (closed loop) for --seconds.
            --crop: cuts the first face out of the image here (the project's detector and crop) and posts that crop
            with ?detect=false, i.e. the path of a client that runs its own face detector.
            Prints requests/s and latency p50/p99 per client count. Run it once with the service's default
            dynamic batching and once with EMOTION_INFERENCE_MAX_BATCH=1 to compare.
            --stages: no service; where one request's time goes, in this process: JPEG decode, face detection,
            crop + input preparation, cnn_simple's forward pass (untrained: the same computation), over --runs 300.
            Options: --url http://localhost:8084 (inference-service)""";

    private BenchInference() {
    }

    static int run(List<String> argv) throws Exception {
        Args a = new Args("bench-inference", argv, Set.of("image", "clients", "seconds", "warmup", "url", "runs"),
                Set.of("crop", "stages"));
        if (a.flag("stages")) {
            return stages(Path.of(a.required("image")), a.integer("runs", 300));
        }
        boolean crop = a.flag("crop");
        String url = a.get("url", "http://localhost:" + System.getenv().getOrDefault("INFERENCE_PORT", "8084"))
                .replaceAll("/+$", "") + "/api/v1/predict" + (crop ? "?detect=false" : "");
        byte[] image = crop ? faceCrop(Path.of(a.required("image"))) : Files.readAllBytes(Path.of(a.required("image")));
        String type = a.required("image").toLowerCase(Locale.ROOT).endsWith(".png") ? "image/png" : "image/jpeg";
        int seconds = a.integer("seconds", 15);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(image)).build();
        HttpResponse<String> probe = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (probe.statusCode() != 200) {
            System.err.println("bench-inference: " + url + " answered " + probe.statusCode() + ": " + probe.body());
            return 1;
        }
        long faces = probe.body().split("\"faceId\"", -1).length - 1;
        System.out.printf(Locale.ROOT, "%s, %d face(s) per request, %d s per row%n", url, faces, seconds);
        System.out.printf(Locale.ROOT, "%8s %10s %10s %10s %10s %8s%n", "clients", "requests", "req/s", "p50 ms",
                "p99 ms", "errors");
        for (String c : a.get("clients", "1,8,32").split(",")) {
            int clients = Integer.parseInt(c.trim());
            load(http, req, clients, a.integer("warmup", 3), null);
            List<Double> ms = Collections.synchronizedList(new ArrayList<>());
            AtomicLong errors = new AtomicLong();
            double wall = load(http, req, clients, seconds, new Object[] {ms, errors});
            List<Double> sorted = new ArrayList<>(ms);
            Collections.sort(sorted);
            System.out.printf(Locale.ROOT, "%8d %10d %10.1f %10.1f %10.1f %8d%n", clients, sorted.size(),
                    sorted.size() / wall, pct(sorted, 0.5), pct(sorted, 0.99), errors.get());
            BenchSummary.add("inference", "POST /api/v1/predict" + (crop ? "?detect=false (face crop)" : "") + ", "
                    + clients + " client(s)", String.format(
                    Locale.ROOT, "%.1f req/s, p50 %.1f ms, p99 %.1f ms, %d errors", sorted.size() / wall,
                    pct(sorted, 0.5), pct(sorted, 0.99), errors.get()));
        }
        return 0;
    }

    /**
     * One single-face request's stages in this process, as the service runs them (same detector, crop and
     * preparation; the forward pass of an untrained cnn_simple costs what a trained one does): mean and p50 per
     * stage after 50 warm-up runs.
     */
    static int stages(Path image, int runs) throws Exception {
        byte[] jpeg = Files.readAllBytes(image);
        dev.emotion.core.faces.FacePipeline.Options o = dev.emotion.core.faces.FacePipeline.Options.DEFAULT;
        Path dir = Files.createTempDirectory("bench-stages");
        for (var e : dev.emotion.core.training.TrainedModel.untrained("bench-cnn_simple",
                dev.emotion.core.contract.Architecture.CNN_SIMPLE, dev.emotion.core.contract.Task.EMOTION_CLASS, 42,
                java.util.Map.of()).entrySet()) {
            Files.write(dir.resolve(e.getKey()), e.getValue());
        }
        String[] names = {"decode", "detect", "crop + prepare", "forward", "total"};
        double[][] ms = new double[names.length][runs];
        try (dev.emotion.core.faces.FaceDetector detector = dev.emotion.core.faces.FaceDetectors.open(
                dev.emotion.core.faces.FaceDetectors.defaultModelPath(), 0.5f, 20);
             dev.emotion.core.training.TrainedModel model = dev.emotion.core.training.TrainedModel.open(dir)) {
            dev.emotion.core.faces.FaceCropper cropper = new dev.emotion.core.faces.FaceCropper(o.cropSize(),
                    o.enlarge(), o.jpegQuality());
            float[] input = new float[3 * model.inputSize() * model.inputSize()];
            for (int i = -50; i < runs; i++) {
                long t0 = System.nanoTime();
                try (org.bytedeco.javacpp.PointerScope scope = new org.bytedeco.javacpp.PointerScope()) {
                    org.bytedeco.opencv.opencv_core.Mat bgr = dev.emotion.core.inference.ImageInput.decode(jpeg,
                            25_000_000L, Integer.MAX_VALUE);
                    long t1 = System.nanoTime();
                    List<dev.emotion.core.faces.Detection> faces = detector.detect(bgr);
                    long t2 = System.nanoTime();
                    if (faces.isEmpty()) {
                        throw new UsageException("bench-inference: no face found in " + image);
                    }
                    model.prepare(cropper.cropMat(bgr, faces.get(0)), input, 0);
                    long t3 = System.nanoTime();
                    model.probabilities(model.score(input, 1, false));
                    long t4 = System.nanoTime();
                    if (i >= 0) {
                        long[] t = {t0, t1, t2, t3, t4};
                        for (int k = 0; k < 4; k++) {
                            ms[k][i] = (t[k + 1] - t[k]) / 1e6;
                        }
                        ms[4][i] = (t4 - t0) / 1e6;
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "%s: one face, %d runs in this process (%d cores)%n", image, runs,
                Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "%-16s %10s %10s%n", "stage", "mean ms", "p50 ms");
        for (int k = 0; k < names.length; k++) {
            List<Double> sorted = new ArrayList<>();
            for (double v : ms[k]) {
                sorted.add(v);
            }
            Collections.sort(sorted);
            double mean = sorted.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            System.out.printf(Locale.ROOT, "%-16s %10.2f %10.2f%n", names[k], mean, pct(sorted, 0.5));
            BenchSummary.add("inference", "one request's " + names[k] + " (in process)", String.format(Locale.ROOT,
                    "mean %.2f ms, p50 %.2f ms", mean, pct(sorted, 0.5)));
        }
        return 0;
    }

    /** The first face of the image, cropped as ingest crops it (224 px JPEG). */
    static byte[] faceCrop(Path image) {
        org.bytedeco.opencv.opencv_core.Mat bgr = org.bytedeco.opencv.global.opencv_imgcodecs.imread(
                image.toString());
        if (bgr == null || bgr.empty()) {
            throw new UsageException("bench-inference: cannot read " + image + " as an image");
        }
        try (dev.emotion.core.faces.FaceDetector detector = dev.emotion.core.faces.FaceDetectors.open(
                dev.emotion.core.faces.FaceDetectors.defaultModelPath(), 0.5f, 20)) {
            var faces = detector.detect(bgr);
            if (faces.isEmpty()) {
                throw new UsageException("bench-inference --crop: no face found in " + image);
            }
            var o = dev.emotion.core.faces.FacePipeline.Options.DEFAULT;
            return new dev.emotion.core.faces.FaceCropper(o.cropSize(), o.enlarge(), o.jpegQuality())
                    .cropJpeg(bgr, faces.get(0));
        } catch (Exception e) {
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static double load(HttpClient http, HttpRequest req, int clients, int seconds, Object[] sink)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long t0 = System.nanoTime();
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            fs.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    long t = System.nanoTime();
                    try {
                        int status = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
                        if (sink != null) {
                            if (status == 200) {
                                ((List<Double>) sink[0]).add((System.nanoTime() - t) / 1e6);
                            } else {
                                ((AtomicLong) sink[1]).incrementAndGet();
                            }
                        }
                    } catch (Exception e) {
                        if (sink != null) {
                            ((AtomicLong) sink[1]).incrementAndGet();
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double pct(List<Double> sorted, double q) {
        return sorted.isEmpty() ? Double.NaN : sorted.get((int) Math.min(sorted.size() - 1,
                Math.floor(q * sorted.size())));
    }
}
