package dev.emotion.core.contract;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The four model families compared by the project, named as the seed names them, and a zero-training reference:
 * face-api's expression network used as it was trained (its 7 outputs mapped onto the dominant-emotion classes).
 */
public enum Architecture {
    CNN_SIMPLE, VIT_SCRATCH, RESNET_PRETRAINED, VIT_PRETRAINED, FACE_EXPRESSION_BASELINE;

    /** Whether the architecture is trained (the baseline only imports weights). */
    public boolean trained() {
        return this != FACE_EXPRESSION_BASELINE;
    }

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
