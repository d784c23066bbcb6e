package dev.emotion.core.labels;

import dev.emotion.core.contract.EmotionLabels;

/**
 * One annotation row: its time and normalised scores, or {@code labels == null} where the export has no face
 * (NaN/empty cells), which is a gap rather than a neutral frame.
 */
public record LabelSample(long timestampMs, EmotionLabels labels) {

    public boolean isGap() {
        return labels == null;
    }
}
