package dev.emotion.core.inference;

import dev.emotion.core.contract.InferencePrediction;
import dev.emotion.core.contract.InferencePrediction.FacePrediction;
import dev.emotion.core.faces.Detection;
import dev.emotion.core.faces.FaceCropper;
import dev.emotion.core.faces.FaceDetector;
import dev.emotion.core.training.TrainedModel;
import dev.emotion.core.training.MeanCrop;
import dev.emotion.core.video.VideoReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Scores a whole video fast and in flat memory, as real-time face systems do: three stages on their own threads
 * joined by small bounded queues (decode -> detect, track, crop -> score), so memory does not grow with the video's
 * length and the stages overlap on the cores.
 *
 * <p>Detection runs every k-th frame and the faces' boxes are held in between. k adapts: it doubles (up to
 * {@link Options#maxDetectEvery}) while consecutive detections agree (same faces, each box overlapping its previous
 * one by IoU >= {@link #STEADY_IOU}) and drops to 1 when they do not; on a frame without detection each held face's
 * appearance is compared with the frame it was detected in (mean absolute difference of a 16 x 16 grey thumbnail)
 * and a change above {@link #LOST_DIFF} forces a detection on that very frame (the tracker lost confidence).
 * {@code maxDetectEvery = 1} detects every frame, exactly like the per-frame endpoints.
 *
 * <p>Crops from several frames are scored in one forward pass (up to {@link Options#batch}), and the frames are
 * handed out in order.
 */
public final class VideoPipeline {

    /** IoU above which a face counts as not having moved between two detections. */
    public static final double STEADY_IOU = 0.85;
    /** Mean absolute grey-level difference (0..255) of a held face's thumbnail that forces a detection. */
    public static final double LOST_DIFF = 18;

    /**
     * @param maxDetectEvery the largest k (1: detect every frame)
     * @param batch          the most crops in one forward pass
     */
    public record Options(int maxDetectEvery, int batch) {
        public static final Options DEFAULT = new Options(8, 16);

        public Options {
            if (maxDetectEvery < 1 || batch < 1) {
                throw new IllegalArgumentException("maxDetectEvery and batch must be at least 1");
            }
        }
    }

    /** Receives the scored frames in order. */
    @FunctionalInterface
    public interface FrameOut {
        void frame(long index, long timestampMs, String modelId, List<FacePrediction> faces);
    }

    /** What a run did: frames scored, face rows, detector runs (of which forced by a lost track), seconds. */
    public record Stats(long frames, long faces, long detections, long forced, double seconds) {
    }

    private record Decoded(int index, long timestampMs, Mat bgr) {
    }

    private record Prepared(int index, long timestampMs, List<Detection> faces, int[] ids, float[][] inputs,
                            InferencePrediction.Baseline[] baselines, int width, int height) {
    }

    private static final Decoded END_OF_VIDEO = new Decoded(-1, -1, null);
    private static final Prepared END_OF_FRAMES = new Prepared(-1, -1, null, null, null, null, 0, 0);

    private final FaceDetector detector;
    private final FaceCropper cropper;
    private final TrainedModel model;
    private final Options options;

    /** The detector is used by this pipeline's detect stage only (one run at a time). */
    public VideoPipeline(FaceDetector detector, FaceCropper cropper, TrainedModel model, Options options) {
        this.detector = detector;
        this.cropper = cropper;
        this.model = model;
        this.options = options;
    }

    /**
     * Decodes {@code video} at {@code fps} (at most its own rate), scores every sampled frame and hands each to
     * {@code out} in order; {@code progress} gets the number of frames done.
     *
     * @throws RuntimeException the first failure of any stage (a bad video names the file)
     */
    public Stats run(Path video, double fps, FrameOut out, LongConsumer progress) {
        long t0 = System.nanoTime();
        BlockingQueue<Decoded> decoded = new ArrayBlockingQueue<>(4);
        BlockingQueue<Prepared> prepared = new ArrayBlockingQueue<>(2 * options.batch());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long[] detections = new long[2];
        try (VideoReader reader = VideoReader.open(video)) {
            Thread decode = new Thread(() -> {
                try {
                    reader.decode(fps, (index, ts, bgr) -> put(decoded, new Decoded(index, ts, VideoReader.keep(bgr)),
                            failure));
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    offerEnd(decoded, END_OF_VIDEO);
                }
            }, "predict-decode-" + video.getFileName());
            Thread detect = new Thread(() -> {
                try {
                    detectStage(decoded, prepared, failure, detections);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                    drain(decoded);
                } finally {
                    offerEnd(prepared, END_OF_FRAMES);
                }
            }, "predict-detect-" + video.getFileName());
            decode.setDaemon(true);
            detect.setDaemon(true);
            decode.start();
            detect.start();
            long[] counts = new long[2];
            try {
                scoreStage(prepared, out, progress, counts, failure);
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
                drain(prepared);
            }
            join(decode);
            join(detect);
            Throwable f = failure.get();
            if (f instanceof RuntimeException r) {
                throw r;
            }
            if (f instanceof Error err) {
                throw err;
            }
            if (f != null) {
                throw new IllegalStateException(f.getMessage(), f);
            }
            return new Stats(counts[0], counts[1], detections[0], detections[1], (System.nanoTime() - t0) / 1e9);
        }
    }

    /** Detect every k-th frame (k adaptive), hold boxes in between, crop, baseline, prepare the model's input. */
    private void detectStage(BlockingQueue<Decoded> in, BlockingQueue<Prepared> out, AtomicReference<Throwable> failure,
                             long[] detections) throws InterruptedException {
        FaceTracks tracks = new FaceTracks();
        List<Detection> held = List.of();
        List<double[]> thumbs = new ArrayList<>();
        int k = 1;
        int sinceDetection = Integer.MAX_VALUE / 2;
        int s = model.inputSize();
        while (true) {
            Decoded d = in.take();
            if (d == END_OF_VIDEO) {
                return;
            }
            try (PointerScope scope = new PointerScope(); Mat bgr = d.bgr()) {
                if (failure.get() != null) {
                    continue; // keep draining so the decoder is never blocked
                }
                boolean detectNow = sinceDetection >= k;
                if (!detectNow) {
                    for (int i = 0; i < held.size() && !detectNow; i++) {
                        detectNow = difference(thumbs.get(i), thumbnail(bgr, held.get(i))) > LOST_DIFF;
                    }
                    if (detectNow) {
                        detections[1]++;
                        k = 1;
                    }
                }
                if (detectNow) {
                    List<Detection> found = detector.detect(bgr);
                    detections[0]++;
                    k = steady(held, found) ? Math.min(options.maxDetectEvery(), k * 2) : 1;
                    held = found;
                    thumbs.clear();
                    for (Detection f : found) {
                        thumbs.add(thumbnail(bgr, f));
                    }
                    sinceDetection = 0;
                }
                sinceDetection++;
                int[] ids = tracks.assign(held);
                float[][] inputs = new float[held.size()][];
                InferencePrediction.Baseline[] baselines = new InferencePrediction.Baseline[held.size()];
                for (int i = 0; i < held.size(); i++) {
                    inputs[i] = new float[3 * s * s];
                    try (Mat crop = cropper.cropMat(bgr, held.get(i))) {
                        if (!model.participantBaseline()) {
                            model.prepare(crop, inputs[i], 0);
                        } else {
                            MeanCrop own = tracks.observe(ids[i], crop);
                            boolean warm = FaceTracks.warm(own);
                            if (warm) {
                                model.prepare(crop, own, inputs[i], 0);
                            } else {
                                model.prepare(crop, inputs[i], 0);
                            }
                            baselines[i] = new InferencePrediction.Baseline(warm, own.count());
                        }
                    }
                }
                out.put(new Prepared(d.index(), d.timestampMs(), held, ids, inputs, baselines, bgr.cols(),
                        bgr.rows()));
            }
        }
    }

    /** Gathers up to {@code batch} crops from the frames waiting, scores them at once, hands the frames out. */
    private void scoreStage(BlockingQueue<Prepared> in, FrameOut out, LongConsumer progress, long[] counts,
                            AtomicReference<Throwable> failure) throws InterruptedException {
        int s = model.inputSize();
        int per = 3 * s * s;
        float[] batch = new float[options.batch() * per];
        List<Prepared> frames = new ArrayList<>();
        boolean ended = false;
        while (!ended) {
            frames.clear();
            Prepared first = in.take();
            if (first == END_OF_FRAMES) {
                return;
            }
            frames.add(first);
            int crops = first.inputs().length;
            // take what is already waiting, without waiting for more
            while (crops < options.batch()) {
                Prepared next = in.peek();
                if (next == null || (next != END_OF_FRAMES && crops + next.inputs().length > options.batch()
                        && crops > 0)) {
                    break;
                }
                in.poll();
                if (next == END_OF_FRAMES) {
                    ended = true;
                    break;
                }
                frames.add(next);
                crops += next.inputs().length;
            }
            if (failure.get() != null) {
                continue;
            }
            double[][] probabilities = new double[0][];
            if (crops > 0) {
                float[] buffer = crops <= options.batch() ? batch : new float[crops * per];
                int at = 0;
                for (Prepared p : frames) {
                    for (float[] input : p.inputs()) {
                        System.arraycopy(input, 0, buffer, at * per, per);
                        at++;
                    }
                }
                float[] exact = crops * per == buffer.length ? buffer : java.util.Arrays.copyOf(buffer, crops * per);
                synchronized (model) { // pipelines of several videos may share one model
                    probabilities = model.probabilities(model.score(exact, crops, false));
                }
            }
            int at = 0;
            for (Prepared p : frames) {
                List<FacePrediction> faces = new ArrayList<>(p.faces().size());
                for (int i = 0; i < p.faces().size(); i++) {
                    Detection d = p.faces().get(i);
                    faces.add(FaceScorer.prediction(model.task(), p.ids()[i], FaceScorer.box(d, p.width(),
                            p.height()), probabilities[at++]).withTracking(p.baselines()[i], (double) d.score()));
                }
                out.frame(p.index(), p.timestampMs(), model.modelId(), faces);
                counts[0]++;
                counts[1] += faces.size();
                progress.accept(counts[0]);
            }
        }
        // END_OF_FRAMES was taken while gathering: nothing more will come
    }

    /** True when both detections hold the same number of faces and each moved little (best IoU >= STEADY_IOU). */
    static boolean steady(List<Detection> before, List<Detection> now) {
        if (before.size() != now.size()) {
            return false;
        }
        for (Detection n : now) {
            double best = 0;
            for (Detection b : before) {
                best = Math.max(best, b.iou(n));
            }
            if (best < STEADY_IOU) {
                return false;
            }
        }
        return true;
    }

    /** A 16 x 16 grey thumbnail of the box (clipped to the frame), for the cheap "is it still there" check. */
    static double[] thumbnail(Mat bgr, Detection d) {
        int x = Math.max(0, Math.min(bgr.cols() - 1, Math.round(d.x())));
        int y = Math.max(0, Math.min(bgr.rows() - 1, Math.round(d.y())));
        int w = Math.max(1, Math.min(bgr.cols() - x, Math.round(d.width())));
        int h = Math.max(1, Math.min(bgr.rows() - y, Math.round(d.height())));
        double[] t = new double[256];
        try (PointerScope scope = new PointerScope(); Mat roi = new Mat(bgr, new Rect(x, y, w, h));
             Mat small = new Mat(); Mat grey = new Mat()) {
            opencv_imgproc.resize(roi, small, new Size(16, 16), 0, 0, opencv_imgproc.INTER_AREA);
            opencv_imgproc.cvtColor(small, grey, opencv_imgproc.COLOR_BGR2GRAY);
            byte[] px = new byte[256];
            grey.data().get(px);
            for (int i = 0; i < 256; i++) {
                t[i] = px[i] & 0xff;
            }
        }
        return t;
    }

    static double difference(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs(a[i] - b[i]);
        }
        return sum / a.length;
    }

    private static <T> void put(BlockingQueue<T> q, T item, AtomicReference<Throwable> failure) {
        try {
            while (!q.offer(item, 100, TimeUnit.MILLISECONDS)) {
                if (failure.get() != null) {
                    if (item instanceof Decoded d && d.bgr() != null) {
                        d.bgr().close();
                    }
                    throw new IllegalStateException("stopped: another stage failed");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static <T> void offerEnd(BlockingQueue<T> q, T end) {
        try {
            q.put(end);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static <T> void drain(BlockingQueue<T> q) {
        // a failed consumer keeps taking so that its producer can finish and close what it made
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    T item = q.take();
                    if (item == END_OF_VIDEO || item == END_OF_FRAMES) {
                        return;
                    }
                    if (item instanceof Decoded d && d.bgr() != null) {
                        d.bgr().close();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "predict-drain");
        t.setDaemon(true);
        t.start();
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
