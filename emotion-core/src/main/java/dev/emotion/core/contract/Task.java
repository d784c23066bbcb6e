package dev.emotion.core.contract;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The three learning tasks, named as the seed names them. */
public enum Task {
    EMOTION_CLASS, EMOTION_MULTILABEL, ATTENTION_REGRESSION;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
