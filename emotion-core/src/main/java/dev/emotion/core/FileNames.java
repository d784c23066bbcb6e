package dev.emotion.core;

/** Ids (study, participant, model, upload names) turned into one safe path segment. */
public final class FileNames {

    private FileNames() {
    }

    /** Every character outside {@code [A-Za-z0-9._-]} becomes {@code _}. */
    public static String safe(String id) {
        return id.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
