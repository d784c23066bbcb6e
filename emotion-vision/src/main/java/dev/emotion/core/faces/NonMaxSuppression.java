package dev.emotion.core.faces;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Weighted non-maximum suppression as MediaPipe's face detector uses it: detections overlapping the best one by
 * more than the threshold are merged into it (box and keypoints averaged, weighted by score) instead of dropped,
 * which steadies boxes from frame to frame.
 */
public final class NonMaxSuppression {

    private NonMaxSuppression() {
    }

    public static List<Detection> weighted(List<Detection> detections, float iouThreshold) {
        List<Detection> remaining = new ArrayList<>(detections);
        remaining.sort(Comparator.comparingDouble(Detection::score).reversed());
        List<Detection> kept = new ArrayList<>();
        while (!remaining.isEmpty()) {
            Detection best = remaining.get(0);
            List<Detection> cluster = new ArrayList<>();
            List<Detection> rest = new ArrayList<>();
            for (Detection d : remaining) {
                (best.iou(d) > iouThreshold ? cluster : rest).add(d);
            }
            kept.add(merge(best, cluster));
            remaining = rest;
        }
        return kept;
    }

    private static Detection merge(Detection best, List<Detection> cluster) {
        if (cluster.size() == 1) {
            return best;
        }
        float total = 0;
        float x = 0;
        float y = 0;
        float w = 0;
        float h = 0;
        float[] kp = new float[best.keypoints().length];
        for (Detection d : cluster) {
            float s = d.score();
            total += s;
            x += d.x() * s;
            y += d.y() * s;
            w += d.width() * s;
            h += d.height() * s;
            for (int i = 0; i < kp.length && i < d.keypoints().length; i++) {
                kp[i] += d.keypoints()[i] * s;
            }
        }
        for (int i = 0; i < kp.length; i++) {
            kp[i] /= total;
        }
        return new Detection(x / total, y / total, w / total, h / total, best.score(), kp);
    }
}
