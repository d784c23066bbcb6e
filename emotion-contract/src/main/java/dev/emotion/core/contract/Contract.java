package dev.emotion.core.contract;

/** A record that travels on a Kafka topic: versioned and able to say what is wrong with itself. */
public interface Contract {

    /** The schema version this build writes and accepts. */
    int CURRENT_VERSION = 1;

    Integer version();

    /** Adds every problem of this record to {@code v}; an empty {@code v} afterwards means the record is valid. */
    void validate(Violations v);

    /** Checks the version field; every record calls this first in {@link #validate}. */
    static void checkVersion(Violations v, Integer version) {
        if (version == null) {
            v.add("version", "is missing (this build writes and reads version " + CURRENT_VERSION + ")");
        } else if (version != CURRENT_VERSION) {
            v.add("version", version + " is not supported (this build reads version " + CURRENT_VERSION
                    + "; upgrade the consumer or re-publish with version " + CURRENT_VERSION + ")");
        }
    }
}
