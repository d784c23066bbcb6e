package dev.emotion.core.contract;

/**
 * One face in one sampled frame: where it is, its JPEG crop and, when the frame could be aligned with an
 * annotation, its labels. An unlabelled frame has {@code labels == null} and {@code dominant == null}; a labelled
 * frame whose top score is ambiguous under the label policy has labels but {@code dominant == null} (it is left out
 * of the dominant-emotion task only).
 */
public record FaceFrame(Integer index, Long timestampMs, Integer faceId, Box box, Double score, byte[] crop,
                        EmotionLabels labels, String dominant) {

    void validate(Violations v) {
        v.nonNegative("index", index);
        v.nonNegative("timestampMs", timestampMs);
        v.nonNegative("faceId", faceId);
        if (v.required("box", box)) {
            box.validate(v.at("box"));
        }
        v.rangeIfPresent("score", score, 0, 1);
        if (crop == null || crop.length == 0) {
            v.add("crop", crop == null ? "is missing" : "is empty");
        } else if (!ImageBytes.isJpeg(crop)) {
            v.add("crop", "is not a JPEG image (starts with " + ImageBytes.head(crop) + ")");
        }
        if (labels != null) {
            labels.validate(v.at("labels"));
            if (dominant != null && !Emotion.DOMINANT_LABELS.contains(dominant)) {
                v.add("dominant", "'" + dominant + "' is not one of " + Emotion.DOMINANT_LABELS);
            }
        } else if (dominant != null) {
            v.add("dominant", "is set but labels are missing (an unlabelled frame has neither)");
        }
    }
}
