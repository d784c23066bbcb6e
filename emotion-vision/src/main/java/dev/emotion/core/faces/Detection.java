package dev.emotion.core.faces;

/**
 * A face found in a frame: box in frame pixels, detector confidence in [0, 1], and six keypoints (right eye,
 * left eye, nose tip, mouth centre, right ear tragion, left ear tragion) as x,y pairs, or an empty array when the
 * detector gives none.
 */
public record Detection(float x, float y, float width, float height, float score, float[] keypoints) {

    public float area() {
        return Math.max(0, width) * Math.max(0, height);
    }

    public float iou(Detection o) {
        float x1 = Math.max(x, o.x);
        float y1 = Math.max(y, o.y);
        float x2 = Math.min(x + width, o.x + o.width);
        float y2 = Math.min(y + height, o.y + o.height);
        float inter = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
        float union = area() + o.area() - inter;
        return union <= 0 ? 0 : inter / union;
    }
}
