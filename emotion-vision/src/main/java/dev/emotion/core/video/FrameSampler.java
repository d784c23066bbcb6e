package dev.emotion.core.video;

/**
 * Picks frames at a target rate from their real timestamps (variable frame rate safe): slots lie at 0, p, 2p, ...
 * with p = 1000 / fps ms, and each slot takes the first frame no earlier than half a source frame before it.
 * Slots with no frame (gaps in VFR video) are skipped, never filled with copies.
 */
public final class FrameSampler {

    private final double periodMs;
    private final double toleranceMs;
    private double nextDueMs;

    /** @param targetFps frames per second to keep; {@code sourceFps} the stream's nominal rate (for the tolerance) */
    public FrameSampler(double targetFps, double sourceFps) {
        if (!(targetFps > 0)) {
            throw new IllegalArgumentException("sampling rate must be > 0 fps, got " + targetFps);
        }
        this.periodMs = 1000.0 / targetFps;
        double sourceFrameMs = sourceFps > 0 ? 1000.0 / sourceFps : periodMs;
        this.toleranceMs = Math.min(periodMs, sourceFrameMs) / 2;
    }

    public boolean keep(double timestampMs) {
        if (timestampMs < nextDueMs - toleranceMs) {
            return false;
        }
        // The kept frame fills the latest slot at or before it (within the tolerance); the next slot is due next.
        nextDueMs = (Math.floor((timestampMs + toleranceMs) / periodMs) + 1) * periodMs;
        return true;
    }
}
