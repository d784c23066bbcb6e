package dev.emotion.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emotion.core.contract.Contracts;
import dev.emotion.core.faces.FaceCropper;
import dev.emotion.core.faces.FaceDetector;
import dev.emotion.core.faces.FaceDetectors;
import dev.emotion.core.faces.FacePipeline;
import dev.emotion.core.inference.PredictionCsv;
import dev.emotion.core.inference.VideoPipeline;
import dev.emotion.core.training.TrainedModel;
import dev.emotion.core.video.VideoException;
import dev.emotion.core.video.VideoReader;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * {@code predict}: per-frame CSVs for videos and folders of videos, scored in this process (no services needed) or
 * by inference-service ({@code --url}). One CSV per video, written atomically; a video whose CSV exists is skipped.
 */
final class PredictCommand {

    static final String HELP = """
            Usage: ./emotion predict PATH... [--out DIR] [--fps N|all] [--format imotions|openface]
                                     [--model ID|DIR|ZIP] [--url URL] [--jobs N] [--force]
            Scores every sampled frame of each video (a PATH is a video or a folder, searched recursively for
            .mp4 .mov .avi .mkv .webm .m4v) and writes OUT/<video name>.csv: one row per sampled frame per face
            (timestamp ms, frame index, face id stable across the video, box, detection score, the 7 emotions
            and neutral, dominant emotion, whether the face's own baseline was warm, model id), and one row with
            empty scores for a frame without a face.
              --out DIR      where the CSVs go (default: predictions)
              --fps N|all    frames scored per second (default 5; all = every frame)
              --format F     imotions (default): iMotions AFFDEX column names, Timestamp in ms, scores 0..100;
                             openface: OpenFace's frame/face_id/timestamp(s)/confidence/success, scores 0..1
              --model M      a model id (looked up in the local data dirs, else fetched from training-service),
                             a model directory (model.json + model.params) or its zip; default: the model
                             inference-service serves
              --url URL      score with inference-service at URL instead of in this process
              --jobs N       videos scored at once (default: the number of cores)
              --detect-every K  run the face detector on every frame up to every K-th (default 8): k doubles
                             while the faces hold still and falls to 1 when they move; a held face whose
                             look changes forces a detection. 1 = every frame, as the HTTP endpoints do
              --batch N      face crops scored in one forward pass, across frames (default 32)
              --force        score again videos whose CSV exists (default: skipped, so a run can be resumed)
            Environment: EMOTION_HOME (local data dirs, default .emotion), TRAINING_URL (default
            http://localhost:8082), INFERENCE_URL (default http://localhost:8084).""";

    static final Set<String> EXTENSIONS = Set.of("mp4", "mov", "avi", "mkv", "webm", "m4v");

    /** What one video gave. */
    record Outcome(Path video, Path csv, long frames, long faceRows, double seconds, String error) {
    }

    private PredictCommand() {
    }

    static int run(List<String> argv) throws Exception {
        Args a = new Args("predict", argv, Set.of("out", "fps", "format", "model", "url", "jobs", "training-url",
                "inference-url", "detect-every", "batch"), Set.of("force"), true);
        if (a.positionals().isEmpty()) {
            throw new UsageException("predict: give at least one video or folder (./emotion predict --help)");
        }
        List<Path> videos = videos(a.positionals());
        Path out = Path.of(a.get("out", "predictions"));
        String fpsArg = a.get("fps", "5");
        double fps;
        if (fpsArg.equalsIgnoreCase("all")) {
            fps = 1000;
        } else {
            fps = a.number("fps", 5);
            if (!(fps > 0 && fps <= 1000)) {
                throw new UsageException("predict: --fps must be in (0, 1000] or 'all', got " + fpsArg);
            }
        }
        PredictionCsv.Layout layout;
        try {
            layout = PredictionCsv.Layout.parse(a.get("format", "imotions"));
        } catch (IllegalArgumentException e) {
            throw new UsageException("predict: --" + e.getMessage());
        }
        int jobs = a.integer("jobs", Runtime.getRuntime().availableProcessors());
        if (jobs < 1) {
            throw new UsageException("predict: --jobs must be at least 1");
        }
        Files.createDirectories(out);
        List<Path> todo = new ArrayList<>();
        for (Path v : videos) {
            Path csv = csvOf(out, v);
            if (Files.isRegularFile(csv) && !a.flag("force")) {
                System.out.println("skipped " + v + ": " + csv + " is complete (--force scores it again)");
            } else {
                todo.add(v);
            }
        }
        if (todo.isEmpty()) {
            System.out.println("nothing to do: every CSV is in " + out);
            return 0;
        }
        Map<Path, Long> expected = new HashMap<>();
        long total = 0;
        for (Path v : todo) {
            expected.put(v, expectedFrames(v, fps));
            total += expected.get(v);
        }
        String url = a.get("url", null);
        Scorer scorer = url != null ? new Remote(url.replaceAll("/+$", ""), fpsArg)
                : Local.open(a.get("model", null), home(), fps, pipelineOptions(a),
                a.get("training-url", env("TRAINING_URL", "http://localhost:8082")),
                a.get("inference-url", env("INFERENCE_URL", "http://localhost:8084")));
        System.out.printf(Locale.ROOT, "predict: %d video(s) -> %s, %s, %s fps, %s layout, %d at once%n",
                todo.size(), out, scorer.describe(), fpsArg, layout.name().toLowerCase(Locale.ROOT),
                Math.min(jobs, todo.size()));
        MultiProgress progress = new MultiProgress(total, "frames");
        long t0 = System.nanoTime();
        List<Outcome> outcomes = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(jobs, todo.size()));
        try (scorer) {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (Path v : todo) {
                futures.add(pool.submit(() -> one(scorer, v, csvOf(out, v), layout, progress.add(
                        v.getFileName().toString(), expected.get(v)))));
            }
            for (Future<Outcome> f : futures) {
                outcomes.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        progress.close();
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "%-28s %8s %8s %9s %9s  %s%n", "video", "frames", "faces", "seconds",
                "frames/s", "csv");
        long frames = 0;
        int failed = 0;
        for (Outcome o : outcomes) {
            if (o.error() != null) {
                failed++;
                System.out.printf(Locale.ROOT, "%-28s FAILED: %s%n", o.video().getFileName(), o.error());
                continue;
            }
            frames += o.frames();
            System.out.printf(Locale.ROOT, "%-28s %8d %8d %9.1f %9.1f  %s%n", o.video().getFileName(), o.frames(),
                    o.faceRows(), o.seconds(), o.frames() / Math.max(1e-9, o.seconds()), o.csv());
        }
        System.out.printf(Locale.ROOT, "%d of %d video(s) scored, %d frames in %.1f s (%.1f frames/s overall)%s%n",
                outcomes.size() - failed, outcomes.size(), frames, seconds, frames / Math.max(1e-9, seconds),
                failed > 0 ? "; " + failed + " failed (their CSVs were not written)" : "");
        return failed == 0 ? 0 : 1;
    }

    static VideoPipeline.Options pipelineOptions(Args a) {
        int k = a.integer("detect-every", VideoPipeline.Options.DEFAULT.maxDetectEvery());
        int batch = a.integer("batch", VideoPipeline.Options.DEFAULT.batch());
        if (k < 1 || k > 120 || batch < 1 || batch > 1024) {
            throw new UsageException("predict: --detect-every must be 1..120 and --batch 1..1024");
        }
        return new VideoPipeline.Options(k, batch);
    }

    /** Scores one video into a temporary file beside its CSV and moves it into place only when complete. */
    private static Outcome one(Scorer scorer, Path video, Path csv, PredictionCsv.Layout layout,
                               MultiProgress.Bar bar) {
        long t0 = System.nanoTime();
        Path part = csv.resolveSibling("." + csv.getFileName() + ".part-" + UUID.randomUUID());
        try {
            long[] counts;
            try (Writer w = new BufferedWriter(Files.newBufferedWriter(part, StandardCharsets.UTF_8), 1 << 16)) {
                counts = scorer.score(video, w, layout, bar);
            }
            Files.move(part, csv, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            double seconds = (System.nanoTime() - t0) / 1e9;
            bar.finish(counts[0], String.format(Locale.ROOT, "%d face rows, done", counts[1]));
            return new Outcome(video, csv, counts[0], counts[1], seconds, null);
        } catch (Exception e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            bar.finish(bar.done, "FAILED");
            try {
                Files.deleteIfExists(part);
            } catch (IOException ignored) {
                // the temporary file is named .part-*: never taken for a result
            }
            return new Outcome(video, csv, 0, 0, (System.nanoTime() - t0) / 1e9, why);
        }
    }

    /** The videos named: files as given, folders searched recursively for video extensions, in name order. */
    static List<Path> videos(List<String> paths) {
        List<Path> out = new ArrayList<>();
        for (String s : paths) {
            Path p = Path.of(s);
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    List<Path> found = walk.filter(Files::isRegularFile).filter(PredictCommand::isVideo)
                            .sorted(Comparator.comparing(Path::toString)).toList();
                    if (found.isEmpty()) {
                        throw new UsageException("predict: no video (" + String.join(", ", EXTENSIONS.stream()
                                .sorted().toList()) + ") in folder " + p);
                    }
                    out.addAll(found);
                } catch (IOException e) {
                    throw new UsageException("predict: cannot list " + p + ": " + e.getMessage());
                }
            } else if (Files.isRegularFile(p)) {
                out.add(p);
            } else {
                throw new UsageException("predict: no such file or folder: " + p);
            }
        }
        Map<String, Path> byName = new HashMap<>();
        for (Path v : out) {
            Path before = byName.put(csvName(v), v);
            if (before != null && !before.equals(v)) {
                throw new UsageException("predict: " + before + " and " + v + " would both write " + csvName(v)
                        + "; score them into different --out folders");
            }
        }
        return out.stream().distinct().toList();
    }

    static boolean isVideo(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    static String csvName(Path video) {
        String name = video.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return (dot > 0 ? name.substring(0, dot) : name) + ".csv";
    }

    static Path csvOf(Path out, Path video) {
        return out.resolve(csvName(video));
    }

    private static long expectedFrames(Path video, double fps) {
        try (VideoReader r = VideoReader.open(video)) {
            double rate = r.info().fps() > 0 ? Math.min(fps, r.info().fps()) : fps;
            return Math.max(1, Math.round(r.info().durationMs() / 1000.0 * rate));
        } catch (VideoException e) {
            return 1; // the worker reports the error with the file's name
        }
    }

    /** The state folder: system property {@code emotion.home} (tests), else EMOTION_HOME, else .emotion. */
    static Path home() {
        String p = System.getProperty("emotion.home");
        return Path.of(p != null && !p.isBlank() ? p : env("EMOTION_HOME", ".emotion"));
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    /** Where the frames are scored. */
    interface Scorer extends AutoCloseable {
        /** Writes the video's CSV to {@code out}; returns {frames, face rows}. */
        long[] score(Path video, Writer out, PredictionCsv.Layout layout, MultiProgress.Bar bar) throws Exception;

        String describe();

        @Override
        void close();
    }

    /** In this process: the model loaded once, one pipeline (decode, detect + track, score) per video in flight. */
    static final class Local implements Scorer {
        private final TrainedModel model;
        private final FaceCropper cropper;
        private final VideoPipeline.Options options;
        private final double fps;
        final java.util.concurrent.atomic.AtomicLong detections = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong forced = new java.util.concurrent.atomic.AtomicLong();

        Local(TrainedModel model, double fps, VideoPipeline.Options options) {
            this.model = model;
            this.fps = fps;
            this.options = options;
            FacePipeline.Options o = FacePipeline.Options.DEFAULT;
            this.cropper = new FaceCropper(o.cropSize(), o.enlarge(), o.jpegQuality());
        }

        static Local open(String model, Path home, double fps, VideoPipeline.Options options, String trainingUrl,
                          String inferenceUrl) throws IOException {
            Path dir = resolveModel(model, home, trainingUrl, inferenceUrl);
            TrainedModel m = TrainedModel.open(dir);
            if (!m.task().predictsEmotions()) {
                m.close();
                throw new UsageException("predict: model " + m.modelId() + " is a " + m.task().id() + " model; give "
                        + "an emotion_class, emotion_multilabel or affect model");
            }
            return new Local(m, fps, options);
        }

        @Override
        public String describe() {
            return "model " + model.modelId() + " in this process (detection every frame"
                    + (options.maxDetectEvery() > 1 ? " to every " + options.maxDetectEvery() + "th, adaptive" : "")
                    + ")";
        }

        @Override
        public long[] score(Path video, Writer out, PredictionCsv.Layout layout, MultiProgress.Bar bar) {
            PredictionCsv csv = new PredictionCsv(out, layout);
            csv.writeHeader();
            long[] faces = new long[1];
            try (FaceDetector detector = FaceDetectors.open(FaceDetectors.defaultModelPath(), 0.5f, 20)) {
                VideoPipeline.Stats st = new VideoPipeline(detector, cropper, model, options).run(video, fps,
                        (index, ts, modelId, scored) -> {
                            csv.frame(index, ts, modelId, scored);
                            faces[0] += scored.size();
                        }, n -> bar.update(n, faces[0] + " face rows"));
                detections.addAndGet(st.detections());
                forced.addAndGet(st.forced());
                return new long[] {st.frames(), st.faces()};
            }
        }

        @Override
        public void close() {
            model.close();
        }
    }

    /**
     * The model directory {@code spec} names: a directory with model.json, a zip of one, a model id found under
     * the local services' data dirs, or fetched from training-service; none given: the model inference-service
     * serves.
     */
    static Path resolveModel(String spec, Path home, String trainingUrl, String inferenceUrl) throws IOException {
        List<Path> localRoots = List.of(home.resolve("data/training/models"), home.resolve("data/inference/models"),
                home.resolve("data/evaluation/models"), home.resolve("data/cli/models"));
        if (spec == null) {
            spec = servedModel(inferenceUrl);
            if (spec == null) {
                throw new UsageException("predict: no --model given and no inference-service serving a model at "
                        + inferenceUrl + "; give --model ID|DIR|ZIP" + localModels(localRoots));
            }
        }
        Path p = Path.of(spec);
        if (Files.isDirectory(p)) {
            if (!Files.isRegularFile(p.resolve("model.json")) || !Files.isRegularFile(p.resolve("model.params"))) {
                throw new UsageException("predict: " + p + " is not a model directory (model.json + model.params)");
            }
            return p;
        }
        if (Files.isRegularFile(p) && p.toString().endsWith(".zip")) {
            Path dir = home.resolve("data/cli/models").resolve(csvName(p).replace(".csv", "") + "-"
                    + Long.toHexString(Files.size(p)));
            if (!Files.isRegularFile(dir.resolve("model.json"))) {
                try (InputStream in = Files.newInputStream(p)) {
                    TrainedModel.unzip(in, dir);
                }
            }
            return dir;
        }
        for (Path root : localRoots) {
            Path dir = root.resolve(dev.emotion.core.FileNames.safe(spec));
            if (Files.isRegularFile(dir.resolve("model.json")) && Files.isRegularFile(dir.resolve("model.params"))) {
                return dir;
            }
        }
        try {
            return TrainedModel.download(spec, trainingUrl.replaceAll("/+$", "") + "/api/v1/models/"
                    + URLEncoder.encode(spec, StandardCharsets.UTF_8) + "/artifact", home.resolve("data/cli/models"));
        } catch (IOException e) {
            throw new UsageException("predict: model '" + spec + "' is not a local model directory, zip or id, and "
                    + "training-service could not give it: " + e.getMessage() + localModels(localRoots));
        }
    }

    private static String servedModel(String inferenceUrl) {
        try {
            HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build().send(
                    HttpRequest.newBuilder(URI.create(inferenceUrl.replaceAll("/+$", "") + "/api/v1/model"))
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return null;
            }
            JsonNode id = Contracts.mapper().readTree(r.body()).path("loadedModelId");
            return id.isTextual() && !id.asText().isBlank() ? id.asText() : null;
        } catch (IOException | RuntimeException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String localModels(List<Path> roots) {
        Map<String, Long> newest = new HashMap<>();
        for (Path root : roots) {
            if (Files.isDirectory(root)) {
                try (Stream<Path> s = Files.list(root)) {
                    s.filter(d -> Files.isRegularFile(d.resolve("model.json"))).forEach(d -> newest.merge(
                            d.getFileName().toString(), d.toFile().lastModified(), Math::max));
                } catch (IOException ignored) {
                    // an unreadable folder lists nothing
                }
            }
        }
        List<String> ids = newest.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(10).map(Map.Entry::getKey).toList();
        return ids.isEmpty() ? "" : " (models here, newest first: " + String.join(", ", ids) + ")";
    }

    /** inference-service scores the upload and answers CSV ({@code Accept: text/csv}). */
    static final class Remote implements Scorer {
        private final String url;
        private final String fps;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

        Remote(String url, String fps) {
            this.url = url;
            this.fps = fps;
        }

        @Override
        public String describe() {
            return "inference-service at " + url;
        }

        @Override
        public long[] score(Path video, Writer out, PredictionCsv.Layout layout, MultiProgress.Bar bar)
                throws IOException, InterruptedException {
            String target = url + "/api/v1/predict/video?fps=" + fps + "&format="
                    + layout.name().toLowerCase(Locale.ROOT);
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(target))
                    .header("Content-Type", "video/mp4").header("Accept", "text/csv")
                    .POST(HttpRequest.BodyPublishers.ofFile(video)).build(), HttpResponse.BodyHandlers.ofInputStream());
            try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                if (r.statusCode() != 200) {
                    StringBuilder body = new StringBuilder();
                    for (String l; (l = in.readLine()) != null; ) {
                        body.append(l);
                    }
                    throw new IOException("POST " + target + " answered " + r.statusCode() + ": " + body);
                }
                long[] counts = new long[2];
                String header = in.readLine();
                if (header == null) {
                    throw new IOException(target + " answered an empty body");
                }
                out.write(header);
                out.write('\n');
                long lastFrame = Long.MIN_VALUE;
                int frameColumn = layout == PredictionCsv.Layout.IMOTIONS ? 1 : 0;
                int faceColumn = layout == PredictionCsv.Layout.IMOTIONS ? 2 : 1;
                for (String l; (l = in.readLine()) != null; ) {
                    if (l.startsWith(PredictionCsv.ERROR_PREFIX)) {
                        throw new IOException("inference-service stopped: " + l.substring(
                                PredictionCsv.ERROR_PREFIX.length()).trim());
                    }
                    String[] cells = l.split(",", -1);
                    long frame = Long.parseLong(cells[frameColumn]);
                    if (frame != lastFrame) {
                        lastFrame = frame;
                        counts[0]++;
                    }
                    counts[1] += cells[faceColumn].isEmpty() ? 0 : 1;
                    out.write(l);
                    out.write('\n');
                    bar.update(counts[0], counts[1] + " face rows");
                }
                return counts;
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }

        @Override
        public void close() {
            // the HTTP client holds nothing that needs closing on JDK 17
        }
    }
}
