package dev.emotion.core.contract;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Participant-level dataset split. */
public enum Split {
    TRAIN, VAL, TEST;

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
