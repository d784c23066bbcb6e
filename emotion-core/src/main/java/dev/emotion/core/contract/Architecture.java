package dev.emotion.core.contract;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The four model families compared by the project, named as the seed names them. */
public enum Architecture {
    CNN_SIMPLE, VIT_SCRATCH, RESNET_PRETRAINED, VIT_PRETRAINED;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
