package dev.emotion.core;

import java.nio.file.Path;

/** Where the project's model files live (face detector, face-api networks, ImageNet weights): one folder for all. */
public final class ModelFiles {

    private ModelFiles() {
    }

    /**
     * EMOTION_MODELS_DIR, else {@code $XDG_CACHE_HOME/emotion/models} (default {@code ~/.cache/emotion/models}), the
     * folder deploy/models/fetch-models.sh fills.
     */
    public static Path dir() {
        String dir = System.getenv("EMOTION_MODELS_DIR");
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir);
        }
        String cache = System.getenv("XDG_CACHE_HOME");
        Path base = cache != null && !cache.isBlank() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("emotion").resolve("models");
    }
}
