package dev.emotion.core.inference;

import dev.emotion.core.contract.AffectOutputs;

import dev.emotion.core.contract.Box;
import dev.emotion.core.contract.Emotion;
import dev.emotion.core.contract.InferencePrediction;
import dev.emotion.core.contract.InferencePrediction.FacePrediction;
import dev.emotion.core.contract.Task;
import dev.emotion.core.faces.Detection;
import dev.emotion.core.faces.FaceCropper;
import dev.emotion.core.faces.FaceDetector;
import dev.emotion.core.models.EmotionNet;
import dev.emotion.core.training.TrainedModel;
import dev.emotion.core.training.MeanCrop;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Scores every face of a frame: detect (a pool of detectors, one per concurrent caller), crop as ingest crops
 * (square, enlarged), prepare for the leased model, score through the dynamic batcher. Probabilities are reported
 * over the 8 dominant labels: a classifier's softmax as is; a multilabel model's 7 sigmoids, with neutral = 1 -
 * the largest of them.
 */
public final class FaceScorer implements AutoCloseable {

    /** One scored frame: its faces and the model that scored them (null when no model was needed: no face). */
    public record Scored(List<FacePrediction> faces, String modelId) {
    }

    private final BlockingQueue<FaceDetector> detectors;
    private final List<FaceDetector> all = new ArrayList<>();
    private final FaceCropper cropper;
    private final DynamicBatcher batcher;

    public FaceScorer(Supplier<FaceDetector> detectorFactory, int detectorsInPool, FaceCropper cropper,
                      DynamicBatcher batcher) {
        this.detectors = new ArrayBlockingQueue<>(detectorsInPool);
        for (int i = 0; i < detectorsInPool; i++) {
            FaceDetector d = detectorFactory.get();
            all.add(d);
            detectors.add(d);
        }
        this.cropper = cropper;
        this.batcher = batcher;
    }

    public List<Detection> detect(Mat bgr) {
        FaceDetector d;
        try {
            d = detectors.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a face detector", e);
        }
        try {
            return d.detect(bgr);
        } finally {
            detectors.add(d);
        }
    }

    /** Scores the faces of {@code bgr} with the leased model; {@code faceIds} (tracker ids) may be null. */
    public Scored score(ModelSlot.Lease lease, Mat bgr, List<Detection> faces, int[] faceIds) {
        return score(lease, bgr, faces, faceIds, null);
    }

    /** The whole image as one face (already cropped by the client): box = the image, face id 0. */
    public Scored scoreWhole(ModelSlot.Lease lease, Mat bgr, DynamicBatcher.Expectation expectation) {
        TrainedModel model = lease.model();
        int s = model.inputSize();
        float[] input = new float[3 * s * s];
        model.prepare(bgr, input, 0);
        CompletableFuture<DynamicBatcher.Result> f = batcher.submit(lease, input);
        if (expectation != null) {
            expectation.close();
        }
        try {
            DynamicBatcher.Result r = f.get();
            return new Scored(List.of(prediction(model.task(), 0, new Box(0, 0, bgr.cols(), bgr.rows()),
                    r.probabilities())), model.modelId());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while scoring", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("scoring failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** As above; {@code expectation} (from the batcher, may be null) is closed once every crop is submitted. */
    public Scored score(ModelSlot.Lease lease, Mat bgr, List<Detection> faces, int[] faceIds,
                        DynamicBatcher.Expectation expectation) {
        return score(lease, bgr, faces, faceIds, expectation, null);
    }

    /**
     * As above, with the stream's face tracks ({@code faceIds} from them): a model trained on participant baselines
     * gets each crop minus its face's running mean once warm, minus its cold-start baseline before.
     */
    public Scored score(ModelSlot.Lease lease, Mat bgr, List<Detection> faces, int[] faceIds,
                        DynamicBatcher.Expectation expectation, FaceTracks tracks) {
        TrainedModel model = lease.model();
        List<CompletableFuture<DynamicBatcher.Result>> pending = new ArrayList<>();
        List<InferencePrediction.Baseline> states = new ArrayList<>();
        int s = model.inputSize();
        for (int i = 0; i < faces.size(); i++) {
            float[] input = new float[3 * s * s];
            try (PointerScope scope = new PointerScope(); Mat crop = cropper.cropMat(bgr, faces.get(i))) {
                if (!model.participantBaseline()) {
                    model.prepare(crop, input, 0);
                    states.add(null);
                } else {
                    MeanCrop own = tracks == null || faceIds == null ? null : tracks.observe(faceIds[i], crop);
                    boolean warm = FaceTracks.warm(own);
                    if (warm) {
                        model.prepare(crop, own, input, 0);
                    } else {
                        model.prepare(crop, input, 0);
                    }
                    states.add(new InferencePrediction.Baseline(warm, own == null ? 0L : own.count()));
                }
            }
            pending.add(batcher.submit(lease, input));
        }
        if (expectation != null) {
            expectation.close();
        }
        List<FacePrediction> out = new ArrayList<>();
        for (int i = 0; i < faces.size(); i++) {
            DynamicBatcher.Result r;
            try {
                r = pending.get(i).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while scoring", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("scoring failed: " + e.getCause().getMessage(), e.getCause());
            }
            Detection d = faces.get(i);
            out.add(prediction(model.task(), faceIds == null ? i : faceIds[i], box(d, bgr), r.probabilities())
                    .withTracking(states.get(i), (double) d.score()));
        }
        return new Scored(out, model.modelId());
    }

    /**
     * The face's probabilities over the 8 dominant labels (see class comment), dominant label, and whatever else the
     * model outputs (attention; an affect model's expressions, valence and engagement).
     */
    static FacePrediction prediction(Task task, int faceId, Box box, double[] p) {
        Map<String, Double> probs = new LinkedHashMap<>();
        Double attention = null;
        switch (task) {
            case EMOTION_CLASS -> {
                for (int k = 0; k < p.length; k++) {
                    probs.put(Emotion.DOMINANT_LABELS.get(k), p[k]);
                }
            }
            case AFFECT -> {
                for (int k = 0; k < AffectOutputs.EXPRESSIONS; k++) {
                    probs.put(Emotion.DOMINANT_LABELS.get(k), p[k]);
                }
                Map<String, Double> expressions = new LinkedHashMap<>();
                for (int k = AffectOutputs.EXPRESSIONS; k < AffectOutputs.VALENCE; k++) {
                    expressions.put(AffectOutputs.LABELS.get(k), p[k]);
                }
                String dominant = probs.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
                return new FacePrediction(faceId, box, probs, dominant, p[AffectOutputs.ATTENTION], null, null,
                        expressions, p[AffectOutputs.VALENCE], p[AffectOutputs.ENGAGEMENT]);
            }
            case EMOTION_MULTILABEL -> {
                double max = 0;
                for (Emotion e : Emotion.values()) {
                    probs.put(e.label(), p[e.ordinal()]);
                    max = Math.max(max, p[e.ordinal()]);
                }
                probs.put(Emotion.NEUTRAL, 1 - max);
            }
            default -> attention = p[0];
        }
        String dominant = probs.isEmpty() ? null : probs.entrySet().stream().max(Map.Entry.comparingByValue())
                .orElseThrow().getKey();
        return new FacePrediction(faceId, box, probs, dominant, attention);
    }

    static Box box(Detection d, Mat frame) {
        return box(d, frame.cols(), frame.rows());
    }

    /** The detection's box in whole pixels, clipped to a frame of {@code width} x {@code height}. */
    static Box box(Detection d, int width, int height) {
        int x = Math.max(0, Math.round(d.x()));
        int y = Math.max(0, Math.round(d.y()));
        int w = Math.max(1, Math.min(width - x, Math.round(d.width())));
        int h = Math.max(1, Math.min(height - y, Math.round(d.height())));
        return new Box(x, y, w, h);
    }

    @Override
    public void close() {
        all.forEach(FaceDetector::close);
    }
}
