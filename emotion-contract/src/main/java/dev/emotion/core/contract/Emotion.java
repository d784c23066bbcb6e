package dev.emotion.core.contract;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The seven AFFDEX basic emotions, in the order models emit them. */
public enum Emotion {
    JOY, ANGER, FEAR, DISGUST, SADNESS, SURPRISE, CONTEMPT;

    /** The class a frame gets when every emotion is below the dominance threshold. */
    public static final String NEUTRAL = "neutral";

    /** Labels of the dominant-emotion task: the seven emotions, then neutral. */
    public static final List<String> DOMINANT_LABELS = List.of(
            "joy", "anger", "fear", "disgust", "sadness", "surprise", "contempt", NEUTRAL);

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Emotion> fromLabel(String label) {
        return Arrays.stream(values()).filter(e -> e.label().equalsIgnoreCase(label)).findFirst();
    }
}
