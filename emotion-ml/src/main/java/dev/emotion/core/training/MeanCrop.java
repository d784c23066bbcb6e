package dev.emotion.core.training;

import dev.emotion.core.store.Sample;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * The average of a set of face crops (8-bit BGR, the first crop's size): a person's baseline face. Kept as bytes so
 * it outlives the native scopes of the batches that use it; {@link #add} makes a running mean (inference). Running
 * sums in Java: one add per byte, no library does this for a stream of crops of varying size.
 */
public final class MeanCrop {

    /**
     * Frames of a face before its own running mean is used as its baseline (3 s at the 5 fps the video endpoint
     * samples by default); before that, a model's cold-start baseline. Serving and evaluation share it.
     */
    public static final int WARM_FRAMES = 15;

    private final int width;
    private final int height;
    private final double[] sum; // null: a snapshot (read-only)
    private long count;
    private byte[] mean; // cached until the next add

    public MeanCrop(int width, int height) {
        this.width = width;
        this.height = height;
        this.sum = new double[width * height * 3];
    }

    private MeanCrop(int width, int height, byte[] mean, long count) {
        this.width = width;
        this.height = height;
        this.sum = null;
        this.mean = mean;
        this.count = count;
    }

    /** The mean as it is now, read-only and without the running sums (a frame's causal baseline). */
    public synchronized MeanCrop snapshot() {
        return new MeanCrop(width, height, bytes().clone(), count);
    }

    /** Whether {@link #WARM_FRAMES} crops have been added (null: not). */
    public static boolean warm(MeanCrop baseline) {
        return baseline != null && baseline.count() >= WARM_FRAMES;
    }

    /** The mean crop of each participant's video in {@code samples}. */
    public static Map<String, MeanCrop> perVideo(List<Sample> samples) {
        Map<String, MeanCrop> out = new HashMap<>();
        for (Sample s : samples) {
            try (PointerScope scope = new PointerScope()) {
                Mat img = imread(s.crop().toString(), IMREAD_COLOR);
                if (img == null || img.empty()) {
                    throw new IllegalStateException("cannot read crop " + s.crop());
                }
                out.computeIfAbsent(BatchLoader.baselineKey(s), k -> new MeanCrop(img.cols(), img.rows())).add(img);
            }
        }
        return out;
    }

    /** Adds the crop file to {@code m} (null: a new mean of that crop's size) and returns the mean. */
    public static MeanCrop accumulate(MeanCrop m, java.nio.file.Path crop) {
        try (PointerScope scope = new PointerScope()) {
            Mat img = imread(crop.toString(), IMREAD_COLOR);
            if (img == null || img.empty()) {
                throw new IllegalStateException("cannot read crop " + crop);
            }
            MeanCrop out = m == null ? new MeanCrop(img.cols(), img.rows()) : m;
            out.add(img);
            return out;
        }
    }

    /**
     * Each sample's baseline as serving would have it (causal): its participant's video in time order, {@code cold}
     * (a model's cold-start baseline) for the first {@link #WARM_FRAMES} - 1 frames, then a snapshot of the running
     * mean of the frames so far, the frame itself included. Snapshots hold bytes only (one crop each).
     */
    public static Map<Sample, MeanCrop> causal(List<Sample> samples, MeanCrop cold) {
        List<Sample> ordered = samples.stream().sorted(java.util.Comparator.comparing(BatchLoader::baselineKey)
                .thenComparingLong(Sample::timestampMs).thenComparing(Sample::id)).toList();
        Map<String, MeanCrop> running = new HashMap<>();
        Map<Sample, MeanCrop> out = new java.util.IdentityHashMap<>();
        for (Sample s : ordered) {
            MeanCrop m = running.compute(BatchLoader.baselineKey(s), (k, v) -> accumulate(v, s.crop()));
            out.put(s, warm(m) || cold == null ? m.snapshot() : cold);
        }
        return out;
    }

    /** The mean of every crop in {@code samples}, or null when there is none. */
    public static MeanCrop of(List<Sample> samples) {
        MeanCrop all = null;
        for (Sample s : samples) {
            try (PointerScope scope = new PointerScope()) {
                Mat img = imread(s.crop().toString(), IMREAD_COLOR);
                if (img == null || img.empty()) {
                    throw new IllegalStateException("cannot read crop " + s.crop());
                }
                if (all == null) {
                    all = new MeanCrop(img.cols(), img.rows());
                }
                all.add(img);
            }
        }
        return all;
    }

    /** Writes the mean as a PNG (a model's cold-start baseline). */
    public void write(java.nio.file.Path png) {
        try (PointerScope scope = new PointerScope()) {
            if (!org.bytedeco.opencv.global.opencv_imgcodecs.imwrite(png.toString(), mat(width, height))) {
                throw new IllegalStateException("cannot write " + png);
            }
        }
    }

    /** Reads a PNG written by {@link #write} as a mean of one crop. */
    public static MeanCrop read(java.nio.file.Path png) {
        try (PointerScope scope = new PointerScope()) {
            Mat img = imread(png.toString(), IMREAD_COLOR);
            if (img == null || img.empty()) {
                throw new IllegalStateException("cannot read the baseline image " + png);
            }
            MeanCrop m = new MeanCrop(img.cols(), img.rows());
            m.add(img);
            return m;
        }
    }

    /** Adds one BGR crop (resized to this mean's size when it differs). */
    public synchronized void add(Mat bgr) {
        if (sum == null) {
            throw new IllegalStateException("a snapshot of a mean crop cannot take more crops");
        }
        try (PointerScope scope = new PointerScope()) {
            Mat m = bgr;
            if (m.cols() != width || m.rows() != height) {
                m = new Mat();
                resize(bgr, m, new Size(width, height), 0, 0, bgr.cols() > width ? INTER_AREA : INTER_LINEAR);
            }
            byte[] px = new byte[width * height * 3];
            m.data().get(px);
            for (int i = 0; i < px.length; i++) {
                sum[i] += px[i] & 0xFF;
            }
            count++;
            mean = null;
        }
    }

    public synchronized long count() {
        return count;
    }

    /** The mean as bytes (BGR, row-major; shared until the next add: do not modify). */
    public synchronized byte[] bytes() {
        if (mean == null) {
            mean = new byte[sum.length];
            for (int i = 0; i < mean.length; i++) {
                mean[i] = (byte) Math.round(count == 0 ? 0 : sum[i] / count);
            }
        }
        return mean;
    }

    /**
     * The mean as an 8-bit BGR Mat of {@code w x h} (resized when needed), owned by the caller's
     * {@link PointerScope}.
     */
    public Mat mat(int w, int h) {
        BytePointer data = new BytePointer(bytes());
        Mat m = new Mat(height, width, opencv_core.CV_8UC3, data);
        if (w == width && h == height) {
            return m;
        }
        Mat r = new Mat();
        resize(m, r, new Size(w, h), 0, 0, width > w ? INTER_AREA : INTER_LINEAR);
        return r;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }
}
