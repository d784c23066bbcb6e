package dev.emotion.core;

/** Ids (study, participant, model, upload names) turned into one safe path segment. */
public final class FileNames {

    private FileNames() {
    }

    /**
     * Whether {@code candidate} lies inside {@code root}, both as written (after removing {@code ..}) and, where it
     * exists, once symbolic links are followed: a link inside the root that points elsewhere does not count as inside.
     * Every path a request names (report files, ingest videos and study folders) is checked with this.
     */
    public static boolean within(java.nio.file.Path root, java.nio.file.Path candidate) {
        java.nio.file.Path r = root.toAbsolutePath().normalize();
        java.nio.file.Path c = candidate.toAbsolutePath().normalize();
        if (!c.startsWith(r)) {
            return false;
        }
        try {
            java.nio.file.Path real = java.nio.file.Files.exists(r) ? r.toRealPath() : r;
            // The deepest part of the candidate that exists decides where links lead.
            java.nio.file.Path existing = c;
            while (existing != null && !java.nio.file.Files.exists(existing, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                existing = existing.getParent();
            }
            return existing == null || existing.toRealPath().startsWith(real);
        } catch (java.io.IOException e) {
            return false; // a dangling or looping link: not a place to read or write
        }
    }

    /** Every character outside {@code [A-Za-z0-9._-]} becomes {@code _}. */
    public static String safe(String id) {
        return id.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
