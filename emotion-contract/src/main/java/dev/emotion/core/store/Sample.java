package dev.emotion.core.store;

import dev.emotion.core.contract.Split;
import java.nio.file.Path;
import java.util.Map;

/**
 * One labelled face crop in the store: its stable id (study/participant/video/frame/face), where the JPEG is, and
 * its targets (dominant class index, -1 when the label policy left it ambiguous; 7 emotion scores in [0, 1];
 * attention or NaN when the export had none), where in which video it was seen (timelines), and the annotated
 * AFFDEX expressions (null when the export had none), valence in [-1, 1] and engagement in [0, 1] (NaN when the
 * export had none).
 */
public record Sample(String id, String jobId, String participantId, Split split, Path crop, int dominant,
                     float[] emotions, float attention, String videoId, long timestampMs,
                     Map<String, Double> expressions, float valence, float engagement) {

    /** Without valence and engagement. */
    public Sample(String id, String jobId, String participantId, Split split, Path crop, int dominant,
                  float[] emotions, float attention, String videoId, long timestampMs,
                  Map<String, Double> expressions) {
        this(id, jobId, participantId, split, crop, dominant, emotions, attention, videoId, timestampMs, expressions,
                Float.NaN, Float.NaN);
    }

    /** The same frame with another dominant label (controls that relabel frames). */
    public Sample withDominant(int label) {
        return new Sample(id, jobId, participantId, split, crop, label, emotions, attention, videoId, timestampMs,
                expressions, valence, engagement);
    }
}
