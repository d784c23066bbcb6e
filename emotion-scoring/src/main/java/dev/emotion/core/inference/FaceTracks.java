package dev.emotion.core.inference;

import dev.emotion.core.faces.Detection;
import dev.emotion.core.faces.IouTracker;
import dev.emotion.core.training.MeanCrop;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * One stream's faces (a video, a WebSocket connection, a Kafka stream id): stable face ids from the IoU tracker and,
 * per face, the running mean of its crops, the baseline that a model trained on participant baselines subtracts.
 * Until a face has been seen {@link #WARM_FRAMES} times its baseline is cold and the model's own cold-start baseline
 * (the training faces' mean) is used instead; responses say which. At most {@link #MAX_FACES} faces are remembered
 * (the least recently seen is forgotten).
 */
public final class FaceTracks {

    /** Frames of a face before its own baseline is used; evaluation scores held-out people with the same rule. */
    public static final int WARM_FRAMES = MeanCrop.WARM_FRAMES;
    static final int MAX_FACES = 64;

    private final IouTracker tracker = new IouTracker(0.3f, 10);
    private final Map<Integer, MeanCrop> baselines = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, MeanCrop> eldest) {
            return size() > MAX_FACES;
        }
    };

    public synchronized int[] assign(List<Detection> faces) {
        return tracker.assign(faces);
    }

    /** Adds the face's crop to its running mean and returns that mean (use it once {@link MeanCrop#count()} is warm). */
    public synchronized MeanCrop observe(int faceId, Mat crop) {
        MeanCrop m = baselines.computeIfAbsent(faceId, id -> new MeanCrop(crop.cols(), crop.rows()));
        m.add(crop);
        return m;
    }

    public static boolean warm(MeanCrop baseline) {
        return MeanCrop.warm(baseline);
    }
}
