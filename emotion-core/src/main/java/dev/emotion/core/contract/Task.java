package dev.emotion.core.contract;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The learning tasks, named as the seed names them, and {@code expression_regression}: the intensity (0..1) of each
 * AFFDEX facial expression (action unit) the study's files annotate.
 */
public enum Task {
    EMOTION_CLASS, EMOTION_MULTILABEL, ATTENTION_REGRESSION, EXPRESSION_REGRESSION;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
