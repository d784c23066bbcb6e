package dev.emotion.core.video;

/**
 * What the container says about a video stream before decoding; {@code headerFrames} is the frame count the
 * container header states (0 when it states none), which survives truncation where the duration estimate does not.
 */
public record VideoInfo(int width, int height, double fps, long durationMs, long headerFrames, String codec,
                        String format) {
}
