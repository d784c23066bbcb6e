package dev.emotion.core.video;

import java.nio.file.Path;

/** A video that cannot be opened or decoded; the message names the file and, when known, the frame. */
public class VideoException extends RuntimeException {

    public VideoException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
