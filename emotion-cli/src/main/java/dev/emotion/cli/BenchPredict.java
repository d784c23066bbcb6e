package dev.emotion.cli;

import dev.emotion.core.contract.Architecture;
import dev.emotion.core.contract.Task;
import dev.emotion.core.faces.FaceCropper;
import dev.emotion.core.faces.FaceDetector;
import dev.emotion.core.faces.FaceDetectors;
import dev.emotion.core.faces.FacePipeline;
import dev.emotion.core.inference.PredictionCsv;
import dev.emotion.core.inference.VideoPipeline;
import dev.emotion.core.training.TrainedModel;
import dev.emotion.core.synth.Difficulty;
import dev.emotion.core.synth.SyntheticStudy;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench-predict}: how fast and in how much memory a long video becomes a per-frame CSV in this process
 * (what {@code ./emotion predict} does), every frame decoded, detected or tracked, cropped and scored.
 */
final class BenchPredict {

    static final String HELP = """
            Usage: ./emotion bench-predict [--minutes 1] [--width 1280] [--height 720] [--fps 30]
                                           [--detect-every 1,8] [--model ID|DIR] [--rss-every 30] [--out DIR]
            Renders a 60 s synthetic clip (one face) at the size and rate given, loops it by stream copy into a
            --minutes long H.264 video (FFmpeg's own program, shipped with JavaCV), then scores every frame of it
            as ./emotion predict does (decode, detect every frame or every k-th with tracking between, crop,
            score in batches, CSV), once per --detect-every value. Prints frames/s end to end, detector runs, and
            the process's resident memory sampled every --rss-every seconds (the series and its peak).
            The model: --model, else an untrained cnn_simple (the speed does not depend on the weights).
            Files go to --out (default experiments/bench-predict); the rendered clip and long video are reused.""";

    private BenchPredict() {
    }

    static int run(List<String> argv) throws Exception {
        Args a = new Args("bench-predict", argv, Set.of("minutes", "width", "height", "fps", "detect-every", "model",
                "rss-every", "out", "batch"), Set.of());
        double minutes = a.number("minutes", 1);
        int width = a.integer("width", 1280);
        int height = a.integer("height", 720);
        int fps = a.integer("fps", 30);
        int rssEvery = a.integer("rss-every", 30);
        if (!(minutes > 0 && minutes <= 600) || rssEvery < 1) {
            throw new UsageException("bench-predict: --minutes must be in (0, 600] and --rss-every at least 1");
        }
        Path out = Path.of(a.get("out", "experiments/bench-predict"));
        Files.createDirectories(out);
        Path clip = clip(out, width, height, fps, Math.min(60, minutes * 60));
        Path video = minutes * 60 <= 60 ? clip : loop(clip, out, minutes);
        Path modelDir = a.has("model") ? PredictCommand.resolveModel(a.get("model", null), PredictCommand.home(),
                System.getenv().getOrDefault("TRAINING_URL", "http://localhost:8082"),
                System.getenv().getOrDefault("INFERENCE_URL", "http://localhost:8084"))
                : untrainedCnn(out.resolve("model-cnn_simple-untrained"));
        List<String[]> rows = new ArrayList<>();
        try (TrainedModel model = TrainedModel.open(modelDir)) {
            System.out.printf(Locale.ROOT, "bench-predict: %s (%dx%d, %d fps, %.0f min), model %s (%s), %d cores%n",
                    video, width, height, fps, minutes, model.modelId(), model.architecture().id(),
                    Runtime.getRuntime().availableProcessors());
            for (String k : a.get("detect-every", "1,8").split(",")) {
                int every = Integer.parseInt(k.trim());
                rows.add(once(video, model, new VideoPipeline.Options(every, a.integer("batch", 32)), out,
                        rssEvery, (long) Math.round(minutes * 60 * fps)));
            }
        }
        System.out.printf(Locale.ROOT, "%n%-12s %9s %9s %10s %11s %8s %12s%n", "detect every", "frames", "seconds",
                "frames/s", "detections", "forced", "peak RSS MiB");
        for (String[] r : rows) {
            System.out.printf(Locale.ROOT, "%-12s %9s %9s %10s %11s %8s %12s%n", (Object[]) r);
            BenchSummary.add("predict", String.format(Locale.ROOT, "%dx%d %d fps, %.0f min, detect every <= %s",
                    width, height, fps, minutes, r[0]), r[3] + " frames/s, peak RSS " + r[6] + " MiB");
        }
        return 0;
    }

    private static String[] once(Path video, TrainedModel model, VideoPipeline.Options options, Path out,
                                 int rssEvery, long expected) throws IOException {
        Path csv = out.resolve("predictions-k" + options.maxDetectEvery() + ".csv");
        FacePipeline.Options o = FacePipeline.Options.DEFAULT;
        List<Long> rss = new ArrayList<>();
        long[] peak = {rssKiB()};
        Thread sampler = new Thread(() -> {
            long last = System.nanoTime();
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    TimeUnit.MILLISECONDS.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
                long now = rssKiB();
                synchronized (rss) {
                    peak[0] = Math.max(peak[0], now);
                    if (System.nanoTime() - last >= rssEvery * 1_000_000_000L) {
                        last = System.nanoTime();
                        rss.add(now / 1024);
                    }
                }
            }
        }, "rss-sampler");
        sampler.setDaemon(true);
        ProgressBar bar = new ProgressBar("k<=" + options.maxDetectEvery(), expected, "frames");
        VideoPipeline.Stats st;
        sampler.start();
        try (FaceDetector detector = FaceDetectors.open(FaceDetectors.defaultModelPath(), 0.5f, 20);
             Writer w = new BufferedWriter(Files.newBufferedWriter(csv, StandardCharsets.UTF_8), 1 << 16)) {
            PredictionCsv writer = new PredictionCsv(w, PredictionCsv.Layout.IMOTIONS);
            writer.writeHeader();
            st = new VideoPipeline(detector, new FaceCropper(o.cropSize(), o.enlarge(), o.jpegQuality()), model,
                    options).run(video, 1000, writer::frame, n -> bar.update(n, null));
        } finally {
            sampler.interrupt();
        }
        bar.finish(st.frames(), String.format(Locale.ROOT, "%.1f frames/s", st.frames() / st.seconds()));
        synchronized (rss) {
            System.out.println("  RSS MiB every " + rssEvery + " s: " + rss);
        }
        return new String[] {Integer.toString(options.maxDetectEvery()), Long.toString(st.frames()),
                String.format(Locale.ROOT, "%.1f", st.seconds()),
                String.format(Locale.ROOT, "%.1f", st.frames() / st.seconds()), Long.toString(st.detections()),
                Long.toString(st.forced()), Long.toString(peak[0] / 1024)};
    }

    /** The process's resident set size in KiB, from /proc (Linux); 0 elsewhere. */
    static long rssKiB() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    private static Path clip(Path out, int width, int height, int fps, double seconds) throws IOException {
        String name = String.format(Locale.ROOT, "clip-%dx%d-%dfps-%.0fs", width, height, fps, seconds);
        Path dir = out.resolve(name);
        Path video = dir.resolve(SyntheticStudy.participantId(0) + ".mp4");
        if (Files.isRegularFile(video)) {
            return video;
        }
        long frames = Math.round(seconds * fps);
        ProgressBar bar = new ProgressBar("render clip", frames, "frames");
        SyntheticStudy.generate(new SyntheticStudy.Spec("bench-predict", 1, seconds, width, height, fps, 7,
                Difficulty.STANDARD), dir, n -> bar.update(n, null));
        bar.finish(frames, name);
        return video;
    }

    /**
     * The clip repeated into a video of {@code minutes} by packet copy (no re-encoding): every loop's packets are
     * shifted by the clip's length. Written here because the ffmpeg program JavaCV ships needs system libraries
     * (libva) that a bare machine lacks, while its libraries copy packets as well.
     */
    private static Path loop(Path clip, Path out, double minutes) throws IOException {
        int times = (int) Math.ceil(minutes);
        Path video = out.resolve(clip.getParent().getFileName() + "-x" + times + ".mp4");
        if (Files.isRegularFile(video)) {
            return video;
        }
        Path part = out.resolve(video.getFileName() + ".part.mp4");
        ProgressBar bar = new ProgressBar("loop clip", times, "copies");
        try (org.bytedeco.javacv.FFmpegFrameGrabber first = new org.bytedeco.javacv.FFmpegFrameGrabber(clip.toFile())) {
            first.start();
            try (org.bytedeco.javacv.FFmpegFrameRecorder rec = new org.bytedeco.javacv.FFmpegFrameRecorder(
                    part.toFile(), first.getImageWidth(), first.getImageHeight(), 0)) {
                rec.setFormat("mp4");
                rec.setVideoCodec(first.getVideoCodec());
                rec.setFrameRate(first.getFrameRate());
                rec.start(first.getFormatContext());
                long offset = 0;
                for (int t = 0; t < times; t++) {
                    long end = offset;
                    try (org.bytedeco.javacv.FFmpegFrameGrabber g = new org.bytedeco.javacv.FFmpegFrameGrabber(
                            clip.toFile())) {
                        g.start();
                        org.bytedeco.ffmpeg.avcodec.AVPacket pkt;
                        while ((pkt = g.grabPacket()) != null) {
                            if (pkt.stream_index() == g.getVideoStream()) {
                                pkt.pts(pkt.pts() + offset);
                                pkt.dts(pkt.dts() + offset);
                                end = Math.max(end, pkt.pts() + Math.max(1, pkt.duration()));
                                rec.recordPacket(pkt);
                            }
                            org.bytedeco.ffmpeg.global.avcodec.av_packet_unref(pkt);
                        }
                    }
                    offset = end;
                    bar.update(t + 1, null);
                }
                rec.stop();
            }
        }
        bar.finish(times, video.getFileName().toString());
        Files.move(part, video, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return video;
    }

    private static Path untrainedCnn(Path dir) throws IOException {
        if (!Files.isRegularFile(dir.resolve("model.json"))) {
            Files.createDirectories(dir);
            for (Map.Entry<String, byte[]> f : TrainedModel.untrained(dir.getFileName().toString(),
                    Architecture.CNN_SIMPLE, Task.EMOTION_CLASS, 7, Map.of("participantBaseline", true)).entrySet()) {
                Files.write(dir.resolve(f.getKey()), f.getValue());
            }
        }
        return dir;
    }
}
