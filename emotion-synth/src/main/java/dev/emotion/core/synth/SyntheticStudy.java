package dev.emotion.core.synth;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;

/**
 * The embedded default dataset: a study of synthetic participants, each an H.264 MP4 of a rendered face plus an
 * iMotions-format CSV whose scores are the ground truth. Deterministic from the seed; participants render in
 * parallel (one per core).
 */
public final class SyntheticStudy {

    /** What to generate. */
    public record Spec(String studyName, int participants, double seconds, int width, int height, int fps,
                       long seed, Difficulty difficulty) {
        public Spec {
            if (participants < 1 || participants > 1000) {
                throw new IllegalArgumentException("participants must be 1..1000; got " + participants);
            }
            if (!(seconds > 0 && seconds <= 7200)) {
                throw new IllegalArgumentException("seconds must be in (0, 7200]; got " + seconds);
            }
            if (width < 64 || height < 64 || width > 4096 || height > 4096) {
                throw new IllegalArgumentException("size must be 64x64..4096x4096; got " + width + "x" + height);
            }
            if (fps < 1 || fps > 120) {
                throw new IllegalArgumentException("fps must be 1..120; got " + fps);
            }
            if (difficulty == null) {
                throw new IllegalArgumentException("difficulty is missing");
            }
        }

        /** A study at the standard difficulty. */
        public Spec(String studyName, int participants, double seconds, int width, int height, int fps, long seed) {
            this(studyName, participants, seconds, width, height, fps, seed, Difficulty.STANDARD);
        }

        public long totalFrames() {
            return (long) participants * frames();
        }

        int frames() {
            return (int) Math.round(seconds * fps);
        }
    }

    /** One generated participant. */
    public record Participant(String participantId, Path video, Path labels) {
    }

    private SyntheticStudy() {
    }

    public static String participantId(int index) {
        return String.format("p%02d", index + 1);
    }

    /** The participant's identity and script, as the generator makes them (also used by tests). */
    public static Identity identity(Spec spec, int index) {
        return Identity.random(participantId(index), random(spec, index, 1));
    }

    public static EmotionScript script(Spec spec, int index) {
        return new EmotionScript(spec.seconds(), identity(spec, index), spec.difficulty(), random(spec, index, 2));
    }

    /**
     * Generates every participant into {@code out} ({@code pNN.mp4} + {@code pNN.csv}).
     *
     * @param progress receives the number of frames rendered so far (from any thread)
     */
    public static List<Participant> generate(Spec spec, Path out, LongConsumer progress) throws IOException {
        Files.createDirectories(out);
        // FFmpeg logs errors only, as the decoders have it (video.Ffmpeg; the renderer does not depend on emotion-vision)
        org.bytedeco.ffmpeg.global.avutil.av_log_set_level(org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR);
        int threads = Math.max(1, Math.min(spec.participants(), Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicLong frames = new AtomicLong();
        try {
            List<Future<Participant>> jobs = new ArrayList<>();
            for (int i = 0; i < spec.participants(); i++) {
                int index = i;
                jobs.add(pool.submit(() -> one(spec, index, out, frames, progress)));
            }
            List<Participant> done = new ArrayList<>();
            for (Future<Participant> f : jobs) {
                done.add(f.get());
            }
            return done;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("generating the synthetic study failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Writes only the annotation files ({@code pNN.csv}), exactly as {@link #generate} writes them, without
     * rendering: what the label audit and the AU oracle need, in a fraction of a second per participant.
     */
    public static List<Path> writeLabels(Spec spec, Path out) throws IOException {
        Files.createDirectories(out);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < spec.participants(); i++) {
            Path labels = out.resolve(participantId(i) + ".csv");
            ImotionsCsvWriter.write(labels, spec.studyName(), identity(spec, i), script(spec, i), random(spec, i, 3));
            files.add(labels);
        }
        return files;
    }

    private static Participant one(Spec spec, int index, Path out, AtomicLong frames, LongConsumer progress)
            throws IOException {
        String pid = participantId(index);
        Identity id = identity(spec, index);
        EmotionScript script = script(spec, index);
        Path video = out.resolve(pid + ".mp4");
        Path labels = out.resolve(pid + ".csv");
        ImotionsCsvWriter.write(labels, spec.studyName(), id, script, random(spec, index, 3));
        FaceRenderer renderer = new FaceRenderer(spec.width(), spec.height(), id, random(spec, index, 4),
                spec.difficulty().lightingChanges());
        BufferedImage frame = renderer.newFrame();
        Path partial = out.resolve(pid + ".mp4.part");
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(partial.toFile(), spec.width(), spec.height());
             Java2DFrameConverter converter = new Java2DFrameConverter()) {
            rec.setFormat("mp4");
            rec.setVideoCodec(avcodec.AV_CODEC_ID_H264);
            rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            rec.setFrameRate(spec.fps());
            rec.setVideoBitrate(Math.max(300_000, spec.width() * spec.height() * 3));
            rec.setGopSize(spec.fps() * 2);
            rec.start();
            for (int f = 0; f < spec.frames(); f++) {
                double t = (double) f / spec.fps();
                renderer.render(frame, script, t);
                rec.record(converter.convert(frame), avutil.AV_PIX_FMT_BGR24);
                progress.accept(frames.incrementAndGet());
            }
            rec.stop();
        } catch (FrameRecorder.Exception e) {
            throw new IOException("encoding " + video + " failed: " + e.getMessage(), e);
        }
        Files.move(partial, video, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return new Participant(pid, video, labels);
    }

    /** Independent, well-mixed random streams per participant and purpose, all from the one seed. */
    static Random random(Spec spec, int index, int purpose) {
        return new Random(new SplittableRandom(spec.seed() * 1_000_003L + index * 7919L + purpose).nextLong());
    }
}
