package dev.emotion.core.contract;

import java.util.EnumMap;
import java.util.Map;

/**
 * Annotated scores of one frame, normalised: the seven emotions, engagement and attention in [0, 1],
 * valence in [-1, 1]. Engagement, valence and attention are optional (not every export has them).
 */
public record EmotionLabels(Double joy, Double anger, Double fear, Double disgust, Double sadness, Double surprise,
                            Double contempt, Double valence, Double engagement, Double attention) {

    public Map<Emotion, Double> emotions() {
        Map<Emotion, Double> m = new EnumMap<>(Emotion.class);
        m.put(Emotion.JOY, joy);
        m.put(Emotion.ANGER, anger);
        m.put(Emotion.FEAR, fear);
        m.put(Emotion.DISGUST, disgust);
        m.put(Emotion.SADNESS, sadness);
        m.put(Emotion.SURPRISE, surprise);
        m.put(Emotion.CONTEMPT, contempt);
        return m;
    }

    void validate(Violations v) {
        emotions().forEach((emotion, score) -> v.range(emotion.label(), score, 0, 1));
        v.rangeIfPresent("valence", valence, -1, 1);
        v.rangeIfPresent("engagement", engagement, 0, 1);
        v.rangeIfPresent("attention", attention, 0, 1);
    }
}
