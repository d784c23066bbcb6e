package dev.emotion.core.contract;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The learning tasks, named as the seed names them; {@code expression_regression}: the intensity (0..1) of each
 * AFFDEX facial expression (action unit) the study's files annotate; {@code affect}: one backbone with a head each
 * for the dominant emotion, the expressions, valence, engagement and attention, trained together (a frame lacking
 * one target trains the other heads).
 */
public enum Task {
    EMOTION_CLASS, EMOTION_MULTILABEL, ATTENTION_REGRESSION, EXPRESSION_REGRESSION, AFFECT;

    /** Whether a model of this task predicts emotions, so it can be served and score video. */
    public boolean predictsEmotions() {
        return this == EMOTION_CLASS || this == EMOTION_MULTILABEL || this == AFFECT;
    }

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
