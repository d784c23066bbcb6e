package dev.emotion.core.contract;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Annotated scores of one frame, normalised: the seven emotions, engagement and attention in [0, 1],
 * valence in [-1, 1], and AFFDEX's facial expressions (action units) in [0, 1] by their AFFDEX names. Engagement,
 * valence, attention and the expressions are optional (not every export has them; records written before
 * expressions existed have none).
 */
public record EmotionLabels(Double joy, Double anger, Double fear, Double disgust, Double sadness, Double surprise,
                            Double contempt, Double valence, Double engagement, Double attention,
                            Map<String, Double> expressions) {

    /** AFFDEX's facial expressions, in the order iMotions documents them. */
    public static final List<String> AFFDEX_EXPRESSIONS = List.of("Brow Furrow", "Brow Raise", "Cheek Raise",
            "Chin Raise", "Dimpler", "Eye Closure", "Eye Widen", "Inner Brow Raise", "Jaw Drop", "Lid Tighten",
            "Lip Corner Depressor", "Lip Press", "Lip Pucker", "Lip Stretch", "Lip Suck", "Mouth Open",
            "Nose Wrinkle", "Smile", "Smirk", "Upper Lip Raise");

    /**
     * The FACS action unit each AFFDEX expression codes, as Affectiva documents them (Smirk: AU12 on one side of the
     * face only).
     */
    public static final Map<String, String> AFFDEX_FACS = facs();

    private static Map<String, String> facs() {
        String[] codes = {"AU4", "AU2", "AU6", "AU17", "AU14", "AU43", "AU5", "AU1", "AU26", "AU7", "AU15", "AU24",
            "AU18", "AU20", "AU28", "AU25", "AU9", "AU12", "R12A/L12A (one-sided AU12)", "AU10"};
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < codes.length; i++) {
            m.put(AFFDEX_EXPRESSIONS.get(i), codes[i]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Scores without expressions. */
    public EmotionLabels(Double joy, Double anger, Double fear, Double disgust, Double sadness, Double surprise,
                         Double contempt, Double valence, Double engagement, Double attention) {
        this(joy, anger, fear, disgust, sadness, surprise, contempt, valence, engagement, attention, null);
    }

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
        if (expressions != null) {
            expressions.forEach((name, score) -> {
                if (!AFFDEX_EXPRESSIONS.contains(name)) {
                    v.add("expressions." + name, "is not an AFFDEX expression (known: " + AFFDEX_EXPRESSIONS + ")");
                }
                v.range("expressions." + name, score, 0, 1);
            });
        }
    }
}
