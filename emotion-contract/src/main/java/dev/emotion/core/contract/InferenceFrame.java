package dev.emotion.core.contract;

import java.time.Instant;

/** A raw frame a client sends for scoring on {@link Topic#INFERENCE_FRAMES}, keyed by stream id. */
public record InferenceFrame(Integer version, String streamId, Long sequence, Long timestampMs, byte[] image,
                             Instant sentAt) implements Contract {

    /** Encoded frames larger than this are rejected (a 1080p JPEG is ~300-600 KB). */
    public static final int MAX_IMAGE_BYTES = 700 * 1024;

    @Override
    public void validate(Violations v) {
        Contract.checkVersion(v, version);
        v.notBlank("streamId", streamId);
        v.nonNegative("sequence", sequence);
        v.nonNegative("timestampMs", timestampMs);
        if (image == null || image.length == 0) {
            v.add("image", image == null ? "is missing" : "is empty");
        } else if (!ImageBytes.isJpeg(image) && !ImageBytes.isPng(image)) {
            v.add("image", "is neither JPEG nor PNG (starts with " + ImageBytes.head(image) + ")");
        } else if (image.length > MAX_IMAGE_BYTES) {
            v.add("image", image.length + " bytes is over the " + MAX_IMAGE_BYTES + " byte limit");
        }
        v.required("sentAt", sentAt);
    }
}
