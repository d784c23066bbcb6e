package dev.emotion.core.labels;

import dev.emotion.core.contract.Emotion;
import dev.emotion.core.contract.EmotionLabels;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns scores into training targets: the dominant emotion (the highest score, or neutral when every score is
 * below {@code neutralBelow - ambiguousBand}) and the multilabel set (every emotion scoring at least
 * {@code presentAtLeast}). A frame whose top score lies in the ambiguous band {@code [neutralBelow - ambiguousBand,
 * neutralBelow)} is neither neutral nor that emotion: it gets no dominant label (excluded from the dominant-emotion
 * task, still used for the other tasks) and is counted as excluded. Ties go to the emotion listed first in
 * {@link Emotion}.
 */
public record LabelPolicy(double neutralBelow, double presentAtLeast, double ambiguousBand) {

    public static final LabelPolicy DEFAULT = new LabelPolicy(0.5, 0.5, 0.15);

    public LabelPolicy {
        if (!(neutralBelow >= 0 && neutralBelow <= 1) || !(presentAtLeast >= 0 && presentAtLeast <= 1)) {
            throw new IllegalArgumentException("thresholds must be within [0, 1]: neutralBelow=" + neutralBelow
                    + ", presentAtLeast=" + presentAtLeast);
        }
        if (!(ambiguousBand >= 0 && ambiguousBand <= neutralBelow)) {
            throw new IllegalArgumentException("ambiguousBand must be within [0, neutralBelow=" + neutralBelow
                    + "]: " + ambiguousBand);
        }
    }

    /** No ambiguous band: every labelled frame gets a dominant label. */
    public LabelPolicy(double neutralBelow, double presentAtLeast) {
        this(neutralBelow, presentAtLeast, 0);
    }

    public LabelPolicy withAmbiguousBand(double band) {
        return new LabelPolicy(neutralBelow, presentAtLeast, band);
    }

    /** The dominant label, or null when the frame is excluded ({@link #exclusion}). */
    public String dominant(EmotionLabels labels) {
        Emotion best = null;
        double bestScore = -1;
        for (Map.Entry<Emotion, Double> e : labels.emotions().entrySet()) {
            if (e.getValue() > bestScore) {
                best = e.getKey();
                bestScore = e.getValue();
            }
        }
        if (bestScore >= neutralBelow) {
            return best.label();
        }
        return bestScore < neutralBelow - ambiguousBand ? Emotion.NEUTRAL : null;
    }

    /** Why a labelled frame has no dominant label (the manifest's key), or null when it has one. */
    public String exclusion(EmotionLabels labels) {
        return dominant(labels) == null ? ambiguousReason() : null;
    }

    public String ambiguousReason() {
        return String.format(Locale.ROOT, "ambiguous: top score in [%.2f, %.2f)", neutralBelow - ambiguousBand,
                neutralBelow);
    }

    public Set<Emotion> present(EmotionLabels labels) {
        Set<Emotion> s = EnumSet.noneOf(Emotion.class);
        labels.emotions().forEach((e, v) -> {
            if (v >= presentAtLeast) {
                s.add(e);
            }
        });
        return s;
    }
}
