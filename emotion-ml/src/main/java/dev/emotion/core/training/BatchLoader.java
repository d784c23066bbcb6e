package dev.emotion.core.training;

import dev.emotion.core.store.Sample;

import static org.bytedeco.opencv.global.opencv_core.flip;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.bytedeco.opencv.global.opencv_core.BORDER_REFLECT;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.getRotationMatrix2D;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

import dev.emotion.core.models.ModelSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point2f;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Turns samples into normalised CHW float batches off the training thread (two batches prefetched): JPEG decode,
 * training-time augmentation (horizontal flip, rotation up to 10 degrees, scale 0.9-1.1, brightness and contrast
 * +-15 %, per-channel colour gains +-12 %, grayscale with probability 0.2), resize to the model's input size, RGB, (x - mean) / std. Deterministic: the epoch's order and every
 * augmentation come from the seed, the epoch and the sample's position.
 */
public final class BatchLoader implements AutoCloseable {

    /** One batch: images (n x 3 x s x s) and the sample indices they came from. */
    public record Batch(float[] images, int[] indices, int size) {
        public int count() {
            return indices.length;
        }
    }

    private final List<Sample> samples;
    private final ModelSpec spec;
    private final boolean augment;
    private final long seed;
    /** Each sample's baseline crop (null: none), or null without baseline normalisation. */
    private final java.util.function.Function<Sample, MeanCrop> baselines;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "batch-loader");
        t.setDaemon(true);
        return t;
    });

    public BatchLoader(List<Sample> samples, ModelSpec spec, boolean augment, long seed) {
        this(samples, spec, augment, seed, false);
    }

    /**
     * @param participantBaseline subtract from every crop the mean crop of its participant's video (computed from
     *                            those frames, labels unused), after the same augmentation: what is left is how the
     *                            face differs from that person's average face, not who the person is
     */
    public BatchLoader(List<Sample> samples, ModelSpec spec, boolean augment, long seed,
                       boolean participantBaseline) {
        this(samples, spec, augment, seed, participantBaseline ? MeanCrop.perVideo(samples) : null);
    }

    /** With baselines computed elsewhere (e.g. over all of a person's frames when loading only a few); null: none. */
    public BatchLoader(List<Sample> samples, ModelSpec spec, boolean augment, long seed,
                       java.util.Map<String, MeanCrop> baselines) {
        this(samples, spec, augment, seed, baselines == null ? null
                : (java.util.function.Function<Sample, MeanCrop>) s -> baselines.get(baselineKey(s)));
    }

    /**
     * With each sample's baseline given by {@code baselineOf} (null: no baseline normalisation), e.g. the causal
     * running mean of the frames before it, as serving sees a face.
     */
    public BatchLoader(List<Sample> samples, ModelSpec spec, boolean augment, long seed,
                       java.util.function.Function<Sample, MeanCrop> baselineOf) {
        this.samples = samples;
        this.spec = spec;
        this.augment = augment;
        this.seed = seed;
        this.baselines = baselineOf;
    }

    /** The key of a sample's baseline: its participant and video. */
    public static String baselineKey(Sample s) {
        return s.participantId() + "/" + s.videoId();
    }

    /** The order of one epoch: shuffled from (seed, epoch), or as stored. */
    public List<Integer> order(int epoch, boolean shuffle) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            idx.add(i);
        }
        if (shuffle) {
            Collections.shuffle(idx, new Random(seed * 1_000_003L + epoch));
        }
        return idx;
    }

    public Iterator<Batch> batches(int epoch, int batchSize, boolean shuffle) {
        List<Integer> order = order(epoch, shuffle);
        List<int[]> chunks = new ArrayList<>();
        for (int i = 0; i < order.size(); i += batchSize) {
            chunks.add(order.subList(i, Math.min(order.size(), i + batchSize)).stream().mapToInt(Integer::intValue)
                    .toArray());
        }
        return new Iterator<>() {
            private int next;
            private final List<Future<Batch>> ahead = new ArrayList<>();

            private void fill() {
                while (ahead.size() < 2 && next < chunks.size()) {
                    int[] chunk = chunks.get(next++);
                    ahead.add(worker.submit(() -> load(chunk, epoch)));
                }
            }

            @Override
            public boolean hasNext() {
                fill();
                return !ahead.isEmpty();
            }

            @Override
            public Batch next() {
                fill();
                if (ahead.isEmpty()) {
                    throw new NoSuchElementException();
                }
                try {
                    return ahead.remove(0).get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while loading a batch", e);
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("loading a batch failed: " + e.getCause().getMessage(), e.getCause());
                }
            }
        };
    }

    Batch load(int[] indices, int epoch) {
        int s = spec.inputSize();
        float[] out = new float[indices.length * 3 * s * s];
        for (int i = 0; i < indices.length; i++) {
            prepare(samples.get(indices[i]), new SplittableRandom(seed ^ (epoch * 0x9E3779B97F4A7C15L)
                    ^ (indices[i] * 0xC2B2AE3D27D4EB4FL)), out, i * 3 * s * s);
        }
        return new Batch(out, indices, s);
    }

    private void prepare(Sample sample, SplittableRandom r, float[] out, int offset) {
        int s = spec.inputSize();
        try (PointerScope scope = new PointerScope()) {
            Mat img = imread(sample.crop().toString(), IMREAD_COLOR);
            if (img == null || img.empty()) {
                throw new IllegalStateException("cannot read crop " + sample.crop());
            }
            float gain = 1;
            float bias = 0;
            float[] channel = {1, 1, 1};
            boolean gray = false;
            boolean flipped = false;
            Mat warp = null;
            if (augment) {
                if (r.nextBoolean()) {
                    Mat f = new Mat();
                    flip(img, f, 1);
                    img = f;
                    flipped = true;
                }
                double angle = (r.nextDouble() * 2 - 1) * 10;
                double scale = 0.9 + r.nextDouble() * 0.2;
                Mat m = getRotationMatrix2D(new Point2f(img.cols() / 2f, img.rows() / 2f), angle, scale);
                warp = m;
                Mat warped = new Mat();
                warpAffine(img, warped, m, new Size(img.cols(), img.rows()), INTER_LINEAR, BORDER_REFLECT,
                        new Scalar());
                img = warped;
                gain = (float) (1 + (r.nextDouble() * 2 - 1) * 0.15);
                bias = (float) ((r.nextDouble() * 2 - 1) * 0.15 * 255);
                // Colour jitter and random grayscale: skin tone and lighting colour say who, not what.
                for (int c = 0; c < 3; c++) {
                    channel[c] = (float) (1 + (r.nextDouble() * 2 - 1) * COLOUR_JITTER);
                }
                gray = r.nextDouble() < GRAYSCALE_PROBABILITY;
            }
            MeanCrop base = baselines == null ? null : baselines.apply(sample);
            if (base == null) {
                toChw(img, s, spec.mean(), spec.std(), gain, bias, channel, gray, out, offset);
                return;
            }
            Mat mean = base.mat(img.cols(), img.rows());
            if (flipped) {
                Mat f = new Mat();
                flip(mean, f, 1);
                mean = f;
            }
            if (warp != null) {
                Mat w = new Mat();
                warpAffine(mean, w, warp, new Size(mean.cols(), mean.rows()), INTER_LINEAR, BORDER_REFLECT,
                        new Scalar());
                mean = w;
            }
            float[] own = new float[3 * s * s];
            toChw(img, s, spec.mean(), spec.std(), gain, bias, channel, gray, own, 0);
            float[] theirs = new float[3 * s * s];
            toChw(mean, s, spec.mean(), spec.std(), gain, bias, channel, gray, theirs, 0);
            for (int i = 0; i < own.length; i++) {
                out[offset + i] = own[i] - theirs[i];
            }
        }
    }

    /**
     * Resizes a BGR crop to {@code s x s} and writes it as normalised RGB planes ((v / 255 - mean) / std) at
     * {@code offset}, with a contrast gain around mid-grey and a brightness bias (1 and 0 outside augmentation).
     */
    public static void toChw(Mat img, int s, float[] mean, float[] std, float gain, float bias, float[] out,
                             int offset) {
        toChw(img, s, mean, std, gain, bias, new float[] {1, 1, 1}, false, out, offset);
    }

    /** Per-channel gains (RGB) of the colour jitter. */
    static final double COLOUR_JITTER = 0.12;
    static final double GRAYSCALE_PROBABILITY = 0.2;

    /** As above, with per-channel gains (RGB) and, when {@code gray}, the luma in all three channels. */
    static void toChw(Mat img, int s, float[] mean, float[] std, float gain, float bias, float[] channel,
                      boolean gray, float[] out, int offset) {
        try (PointerScope scope = new PointerScope()) {
            Mat small = new Mat();
            resize(img, small, new Size(s, s), 0, 0, img.cols() > s ? INTER_AREA : INTER_LINEAR);
            byte[] px = new byte[s * s * 3];
            small.data().get(px);
            int plane = s * s;
            float[] rgb = new float[3];
            for (int p = 0; p < plane; p++) {
                for (int c = 0; c < 3; c++) {
                    rgb[c] = (px[p * 3 + (2 - c)] & 0xFF) * channel[c]; // BGR -> RGB
                }
                if (gray) {
                    float y = 0.299f * rgb[0] + 0.587f * rgb[1] + 0.114f * rgb[2];
                    rgb[0] = y;
                    rgb[1] = y;
                    rgb[2] = y;
                }
                for (int c = 0; c < 3; c++) {
                    float v = (rgb[c] - 127.5f) * gain + 127.5f + bias;
                    v = Math.max(0, Math.min(255, v)) / 255f;
                    out[offset + c * plane + p] = (v - mean[c]) / std[c];
                }
            }
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
