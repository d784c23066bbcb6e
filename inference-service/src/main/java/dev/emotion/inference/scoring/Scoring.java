package dev.emotion.inference.scoring;

import dev.emotion.core.contract.InferencePrediction.FacePrediction;
import dev.emotion.core.faces.Detection;
import dev.emotion.core.faces.StillFaces;
import dev.emotion.core.faces.FaceCropper;
import dev.emotion.core.faces.FaceDetectors;
import dev.emotion.core.faces.FacePipeline;
import dev.emotion.core.inference.DynamicBatcher;
import dev.emotion.core.inference.FaceScorer;
import dev.emotion.core.inference.FaceTracks;
import dev.emotion.core.inference.ImageInput;
import dev.emotion.core.inference.ModelSlot;
import dev.emotion.inference.model.ModelLoader;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Frame in, faces with probabilities out: the one scoring path behind HTTP, video and Kafka. */
@ApplicationScoped
public class Scoring {

    /** No model loaded yet: HTTP 503 with the reason. */
    public static class NoModel extends RuntimeException {
        public NoModel() {
            super("no model is loaded yet: wait for an evaluation to recommend one, or PUT /api/v1/model");
        }
    }

    /** A scored frame. */
    public record Result(String modelId, int width, int height, List<FacePrediction> faces, double latencyMs) {
    }

    private final ModelLoader loader;
    private final DynamicBatcher batcher;
    private final FaceScorer scorer;
    private final MeterRegistry metrics;
    private final Timer frameTimer;
    private final Counter faceCounter;
    private final long maxPixels;
    private final int maxImageBytes;

    public Scoring(ModelLoader loader, MeterRegistry metrics,
                   @ConfigProperty(name = "emotion.inference.max-batch-size", defaultValue = "32") int maxBatch,
                   @ConfigProperty(name = "emotion.inference.max-batch-delay-ms", defaultValue = "5") long maxDelay,
                   @ConfigProperty(name = "emotion.inference.detectors", defaultValue = "2") int detectors,
                   @ConfigProperty(name = "emotion.inference.max-pixels", defaultValue = "25000000") long maxPixels,
                   @ConfigProperty(name = "emotion.inference.max-image-bytes", defaultValue = "10485760")
                   int maxImageBytes) {
        this.loader = loader;
        this.metrics = metrics;
        this.frameTimer = metrics.timer("emotion.inference.frame");
        this.faceCounter = metrics.counter("emotion.inference.faces");
        this.maxPixels = maxPixels;
        this.maxImageBytes = maxImageBytes;
        this.batcher = new DynamicBatcher(maxBatch, maxDelay);
        FacePipeline.Options o = FacePipeline.Options.DEFAULT;
        this.scorer = new FaceScorer(() -> FaceDetectors.open(FaceDetectors.defaultModelPath(), 0.5f, 20), detectors,
                new FaceCropper(o.cropSize(), o.enlarge(), o.jpegQuality()), batcher);
    }

    public FaceScorer scorer() {
        return scorer;
    }

    public DynamicBatcher batcher() {
        return batcher;
    }

    /** Leases the served model; throws {@link NoModel} when there is none. */
    public ModelSlot.Lease lease() {
        ModelSlot.Lease lease = loader.slot().acquire();
        if (lease == null) {
            throw new NoModel();
        }
        return lease;
    }

    /** Decodes (with the size and format checks) and scores one encoded image. */
    public Result scoreImage(byte[] bytes) {
        return scoreImage(bytes, null);
    }

    /**
     * As {@link #scoreImage(byte[])}, with face ids and baselines from {@code tracker} (a stream's frames; may be
     * null).
     */
    public Result scoreImage(byte[] bytes, FaceTracks tracker) {
        long t0 = System.nanoTime();
        try (PointerScope scope = new PointerScope()) {
            return scoreFrame(decode(bytes), tracker, t0);
        }
    }

    /** The image decoded with the size and format checks; a refusal is counted by its reason. */
    private Mat decode(byte[] bytes) {
        try {
            return ImageInput.decode(bytes, maxPixels, maxImageBytes);
        } catch (ImageInput.BadImage e) {
            rejected(e.tooLarge() ? "too_large" : e.unsupported() ? "unsupported_type" : "bad_image");
            throw e;
        }
    }

    /**
     * Scores an image that is already one face crop (a client with its own detector): no detection, the whole
     * image is the face (box = the image), with the same size and format checks.
     */
    public Result scoreCrop(byte[] bytes) {
        long t0 = System.nanoTime();
        try (PointerScope scope = new PointerScope()) {
            Mat img = decode(bytes);
            try (ModelSlot.Lease lease = lease(); DynamicBatcher.Expectation expecting = batcher.expect()) {
                FaceScorer.Scored s = scorer.scoreWhole(lease, img, expecting);
                long nanos = System.nanoTime() - t0;
                frameTimer.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
                faceCounter.increment();
                return new Result(s.modelId(), img.cols(), img.rows(), s.faces(), nanos / 1e6);
            }
        }
    }

    /**
     * Scores a decoded BGR frame; {@code tracker} gives stable face ids and per-face baselines across a stream (may
     * be null: a lone image).
     */
    public Result scoreFrame(Mat bgr, FaceTracks tracker, long startNanos) {
        try (ModelSlot.Lease lease = lease(); DynamicBatcher.Expectation expecting = batcher.expect()) {
            List<Detection> faces = scorer.detect(bgr);
            if (faces.isEmpty() && tracker == null) {
                // A lone photo whose face fills it or is a tight crop: the detector, made for scenes, misses it
                // as it is, and finds it on a padded, upscaled copy (StillFaces; the same retry as the import).
                Detection d = StillFaces.retry(scorer::detect, bgr);
                faces = d == null ? List.of() : List.of(d);
            }
            int[] ids = tracker == null ? null : tracker.assign(faces);
            FaceScorer.Scored s = scorer.score(lease, bgr, faces, ids, expecting, tracker);
            long nanos = System.nanoTime() - startNanos;
            frameTimer.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
            faceCounter.increment(faces.size());
            return new Result(s.modelId(), bgr.cols(), bgr.rows(), s.faces(), nanos / 1e6);
        }
    }

    public void rejected(String reason) {
        metrics.counter("emotion.inference.rejected", "reason", reason).increment();
    }

    void stop(@Observes ShutdownEvent e) {
        batcher.close();
        scorer.close();
    }
}
