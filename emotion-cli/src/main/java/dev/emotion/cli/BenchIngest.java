package dev.emotion.cli;

import dev.emotion.core.faces.Detection;
import dev.emotion.core.faces.FaceDetector;
import dev.emotion.core.faces.FaceDetectors;
import dev.emotion.core.faces.FacePipeline;
import dev.emotion.core.synth.SyntheticStudy;
import dev.emotion.core.video.VideoInfo;
import dev.emotion.core.video.VideoReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * {@code bench-ingest}: frames/s of decode alone, detection alone, and the whole in-process pipeline (decode, detect,
 * track, crop, JPEG) on one video, with the process's resident memory sampled as it runs. Prints a markdown table.
 */
final class BenchIngest {

    static final String HELP = """
            Usage: ./emotion bench-ingest [--video V | --generate-seconds 60 --size 1280x720] [--max-fps 30]
            Prints decode, detection and pipeline throughput and RSS over the run (for docs/benchmarks.md).""";

    private BenchIngest() {
    }

    static int run(List<String> argv) throws Exception {
        Args a = new Args("bench-ingest", argv, Set.of("video", "generate-seconds", "size", "max-fps"), Set.of());
        Path video;
        if (a.has("video")) {
            video = Path.of(a.required("video"));
        } else {
            String[] wh = a.get("size", "1280x720").split("x");
            Path dir = Files.createTempDirectory("bench-ingest");
            SyntheticStudy.Spec spec = new SyntheticStudy.Spec("bench", 1, a.number("generate-seconds", 60),
                    Integer.parseInt(wh[0]), Integer.parseInt(wh[1]), 30, 1);
            ProgressBar bar = new ProgressBar("render", spec.totalFrames(), "frames");
            video = SyntheticStudy.generate(spec, dir, n -> bar.update(n, null)).get(0).video();
            bar.finish(spec.totalFrames(), null);
        }
        double maxFps = a.number("max-fps", 30);
        VideoInfo info;
        long decodeStart = System.nanoTime();
        VideoReader.DecodeStats decoded;
        try (VideoReader r = VideoReader.open(video)) {
            info = r.info();
            decoded = r.decode(maxFps, (i, ts, bgr) -> { });
        }
        double decodeFps = decoded.framesSampled() / ((System.nanoTime() - decodeStart) / 1e9);

        List<Mat> sample = new ArrayList<>();
        try (VideoReader r = VideoReader.open(video)) {
            r.decode(maxFps, (i, ts, bgr) -> {
                if (sample.size() < 200) {
                    sample.add(VideoReader.keep(bgr));
                }
            });
        }
        double detectMs;
        long found = 0;
        try (FaceDetector detector = FaceDetectors.open(FaceDetectors.defaultModelPath(), 0.5f, 24)) {
            for (int i = 0; i < 20; i++) {
                detector.detect(sample.get(i % sample.size()));
            }
            long t0 = System.nanoTime();
            for (Mat m : sample) {
                List<Detection> d = detector.detect(m);
                found += d.isEmpty() ? 0 : 1;
            }
            detectMs = (System.nanoTime() - t0) / 1e6 / sample.size();
        }
        sample.forEach(Mat::close);

        long rssStart = rssKb();
        long[] rssMax = {rssStart};
        List<String> rssTrace = new ArrayList<>();
        AtomicLong frames = new AtomicLong();
        long pipeStart = System.nanoTime();
        long[] nextSample = {pipeStart};
        FacePipeline.Result result;
        ProgressBar bar = new ProgressBar("pipeline", Math.max(1, decoded.framesSampled()), "frames");
        try (FaceDetector detector = FaceDetectors.open(FaceDetectors.defaultModelPath(), 0.5f, 24)) {
            result = new FacePipeline(detector, new FacePipeline.Options(maxFps, 224, 1.4, 90)).run(video, f -> {
                long n = frames.incrementAndGet();
                bar.update(n, null);
                long now = System.nanoTime();
                if (now >= nextSample[0]) {
                    long rss = rssKb();
                    rssMax[0] = Math.max(rssMax[0], rss);
                    rssTrace.add(String.format(Locale.ROOT, "%.0fs:%dMB", (now - pipeStart) / 1e9, rss / 1024));
                    nextSample[0] = now + 30_000_000_000L;
                }
            });
        }
        double pipeSeconds = (System.nanoTime() - pipeStart) / 1e9;
        bar.finish(frames.get(), null);
        long rssEnd = rssKb();

        System.out.printf(Locale.ROOT, "Video: %s, %dx%d %s %.2f fps, %.1f s; %d cores; %s%n", video.getFileName(),
                info.width(), info.height(), info.codec(), info.fps(), info.durationMs() / 1000.0,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"));
        System.out.println();
        System.out.println("| stage | result |");
        System.out.println("|---|---|");
        System.out.printf(Locale.ROOT, "| decode only (FFmpeg -> BGR Mat) | %.0f frames/s |%n", decodeFps);
        System.out.printf(Locale.ROOT, "| MediaPipe full-range detection, one thread | %.1f ms/frame (%.0f frames/s), "
                + "face found in %d of %d frames |%n", detectMs, 1000 / detectMs, found, 200);
        System.out.printf(Locale.ROOT, "| pipeline: decode, detect+track, crop+JPEG on three threads | %.0f frames/s "
                + "(%d frames, %d faces, %.1f s) |%n", result.framesSampled() / pipeSeconds, result.framesSampled(),
                result.faces(), pipeSeconds);
        System.out.printf(Locale.ROOT, "| resident memory during the pipeline | start %d MB, max %d MB, end %d MB |%n",
                rssStart / 1024, rssMax[0] / 1024, rssEnd / 1024);
        System.out.println();
        System.out.println("RSS every 30 s: " + String.join(" ", rssTrace));
        String size = info.width() + "x" + info.height();
        BenchSummary.add("ingest", "decode " + size, String.format(Locale.ROOT, "%.0f frames/s", decodeFps));
        BenchSummary.add("ingest", "face detection " + size, String.format(Locale.ROOT, "%.1f ms/frame", detectMs));
        BenchSummary.add("ingest", "decode+detect+crop pipeline " + size, String.format(Locale.ROOT,
                "%.0f frames/s", result.framesSampled() / pipeSeconds));
        return 0;
    }

    static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }
}
