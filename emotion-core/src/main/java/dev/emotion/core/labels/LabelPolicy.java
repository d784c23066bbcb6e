package dev.emotion.core.labels;

import dev.emotion.core.contract.Emotion;
import dev.emotion.core.contract.EmotionLabels;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Turns scores into training targets: the dominant emotion (the highest score, or neutral when every score is
 * below {@code neutralBelow}) and the multilabel set (every emotion scoring at least {@code presentAtLeast}).
 * Ties go to the emotion listed first in {@link Emotion}.
 */
public record LabelPolicy(double neutralBelow, double presentAtLeast) {

    public static final LabelPolicy DEFAULT = new LabelPolicy(0.5, 0.5);

    public LabelPolicy {
        if (!(neutralBelow >= 0 && neutralBelow <= 1) || !(presentAtLeast >= 0 && presentAtLeast <= 1)) {
            throw new IllegalArgumentException("thresholds must be within [0, 1]: neutralBelow=" + neutralBelow
                    + ", presentAtLeast=" + presentAtLeast);
        }
    }

    public String dominant(EmotionLabels labels) {
        Emotion best = null;
        double bestScore = -1;
        for (Map.Entry<Emotion, Double> e : labels.emotions().entrySet()) {
            if (e.getValue() > bestScore) {
                best = e.getKey();
                bestScore = e.getValue();
            }
        }
        return bestScore < neutralBelow ? Emotion.NEUTRAL : best.label();
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
