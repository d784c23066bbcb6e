package dev.emotion.core.contract;

import java.util.List;

/**
 * Face crops of consecutive frames of one participant's video, as ingest publishes them on
 * {@link Topic#INGEST_FRAMES}. Batches stay well below Kafka's default 1 MB record limit.
 */
public record FaceBatch(Integer version, String studyId, String participantId, String videoId, String jobId,
                        Integer batchIndex, Split split, List<FaceFrame> frames) implements Contract {

    /** Crop bytes per batch; base64 in JSON adds a third, which keeps a record under ~900 KB. */
    public static final int MAX_CROP_BYTES = 640 * 1024;

    public String key() {
        return studyId + "/" + participantId;
    }

    public int cropBytes() {
        return frames == null ? 0 : frames.stream().mapToInt(f -> f.crop() == null ? 0 : f.crop().length).sum();
    }

    @Override
    public void validate(Violations v) {
        Contract.checkVersion(v, version);
        v.notBlank("studyId", studyId);
        v.notBlank("participantId", participantId);
        v.notBlank("videoId", videoId);
        v.notBlank("jobId", jobId);
        v.nonNegative("batchIndex", batchIndex);
        v.required("split", split);
        if (v.notEmpty("frames", frames)) {
            for (int i = 0; i < frames.size(); i++) {
                FaceFrame f = frames.get(i);
                if (v.required("frames[" + i + "]", f)) {
                    f.validate(v.at("frames[" + i + "]"));
                }
            }
            if (cropBytes() > MAX_CROP_BYTES) {
                v.add("frames", "crops total " + cropBytes() + " bytes, over the " + MAX_CROP_BYTES
                        + " byte limit per batch (publish fewer frames per batch)");
            }
        }
    }
}
