package dev.emotion.core.ingest;

import dev.emotion.core.faces.FacePipeline;
import dev.emotion.core.labels.LabelPolicy;
import dev.emotion.core.labels.LabelTimeline;

/**
 * How a video is ingested: sampling and crops, how labels are aligned (nearest within a tolerance, or linear
 * interpolation) and turned into targets, and how big a published batch may get.
 */
public record IngestOptions(FacePipeline.Options faces, LabelTimeline.Mode alignment, long toleranceMs,
                            LabelPolicy policy, int maxFramesPerBatch, int maxBatchBytes) {

    public static final IngestOptions DEFAULT = new IngestOptions(FacePipeline.Options.DEFAULT,
            LabelTimeline.Mode.NEAREST, 50, LabelPolicy.DEFAULT, 48, 520 * 1024);
}
