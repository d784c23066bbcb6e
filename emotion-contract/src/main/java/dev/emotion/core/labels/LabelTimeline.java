package dev.emotion.core.labels;

import dev.emotion.core.contract.EmotionLabels;
import java.util.Optional;

/**
 * Finds the annotation of a video frame by its timestamp. {@link Mode#NEAREST}: the closest sample within the
 * tolerance. {@link Mode#LINEAR}: interpolates between the two samples around the frame when both have a face and
 * they are at most twice the tolerance apart, else falls back to nearest. A frame whose nearest sample is a gap, or
 * that is farther than the tolerance from any sample, has no label: it stays unlabelled, nothing is invented.
 */
public final class LabelTimeline {

    public enum Mode { NEAREST, LINEAR }

    private final LabelTrack track;
    private final Mode mode;
    private final long toleranceMs;
    private final long[] times;
    private final EmotionLabels[] labels;

    public LabelTimeline(LabelTrack track, Mode mode, long toleranceMs) {
        this.track = track;
        this.mode = mode;
        this.toleranceMs = toleranceMs;
        int n = track.samples().size();
        times = new long[n];
        labels = new EmotionLabels[n];
        for (int i = 0; i < n; i++) {
            times[i] = track.samples().get(i).timestampMs();
            labels[i] = track.samples().get(i).labels();
        }
    }

    public Optional<EmotionLabels> at(long frameMs) {
        int hi = firstAtOrAfter(frameMs);
        int lo = hi - 1;
        if (mode == Mode.LINEAR && lo >= 0 && hi < times.length && labels[lo] != null && labels[hi] != null
                && times[hi] - times[lo] <= 2 * toleranceMs) {
            double w = (double) (frameMs - times[lo]) / (times[hi] - times[lo]);
            return Optional.of(interpolate(labels[lo], labels[hi], w));
        }
        int nearest;
        if (lo < 0) {
            nearest = hi;
        } else if (hi >= times.length) {
            nearest = lo;
        } else {
            nearest = frameMs - times[lo] <= times[hi] - frameMs ? lo : hi;
        }
        if (nearest < 0 || nearest >= times.length || Math.abs(times[nearest] - frameMs) > toleranceMs) {
            return Optional.empty();
        }
        return Optional.ofNullable(labels[nearest]);
    }

    /**
     * Rejects a track that does not overlap {@code [0, durationMs]} at all: the usual cause is a unit or offset
     * mistake, which would otherwise leave every frame silently unlabelled.
     */
    public void requireOverlap(long durationMs) {
        if (track.lastMs() < -toleranceMs || track.firstMs() > durationMs + toleranceMs) {
            throw new LabelFileException(track.file(), 0, null, String.format(
                    "the labels cover %.1f-%.1f s but the video lasts %.1f s: check the timestamp unit (ms for "
                            + "iMotions 'Timestamp', s for Affdex SDK 'TimeStamp') or that the labels belong to "
                            + "this video", track.firstMs() / 1000.0, track.lastMs() / 1000.0, durationMs / 1000.0));
        }
    }

    private int firstAtOrAfter(long t) {
        int lo = 0;
        int hi = times.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (times[mid] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static EmotionLabels interpolate(EmotionLabels a, EmotionLabels b, double w) {
        return new EmotionLabels(mix(a.joy(), b.joy(), w), mix(a.anger(), b.anger(), w), mix(a.fear(), b.fear(), w),
                mix(a.disgust(), b.disgust(), w), mix(a.sadness(), b.sadness(), w),
                mix(a.surprise(), b.surprise(), w), mix(a.contempt(), b.contempt(), w),
                mix(a.valence(), b.valence(), w), mix(a.engagement(), b.engagement(), w),
                mix(a.attention(), b.attention(), w), mix(a.expressions(), b.expressions(), w));
    }

    private static java.util.Map<String, Double> mix(java.util.Map<String, Double> a, java.util.Map<String, Double> b,
                                                     double w) {
        if (a == null || b == null) {
            return w < 0.5 ? a : b;
        }
        java.util.Map<String, Double> m = new java.util.LinkedHashMap<>();
        a.forEach((k, v) -> m.put(k, mix(v, b.get(k), w)));
        return m;
    }

    private static Double mix(Double a, Double b, double w) {
        if (a == null || b == null) {
            return w < 0.5 ? a : b;
        }
        return a + (b - a) * w;
    }
}
