package dev.emotion.core.contract;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Life cycle of an ingest, training or evaluation job, as carried by its progress events. */
public enum JobState {
    QUEUED, RUNNING, COMPLETED, FAILED, CANCELLED;

    public boolean isFinal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
