package dev.emotion.cli;

import java.time.Duration;

/**
 * A deadline for the CLI's job polls: it ends a wait in which the job's progress (state and counters, as the
 * service reports them) has not changed for {@code EMOTION_CLI_STALL_MINUTES} (default 30), naming the job and what
 * it last said, instead of waiting forever on a job a restarted service no longer runs.
 */
final class Stall {

    static final String ENV = "EMOTION_CLI_STALL_MINUTES";

    private final String what;
    private final long limitNanos;
    private String last;
    private long since = System.nanoTime();

    Stall(String what) {
        this(what, Duration.ofMinutes(minutes()));
    }

    Stall(String what, Duration limit) {
        this.what = what;
        this.limitNanos = limit.toNanos();
    }

    static long minutes() {
        String v = System.getenv(ENV);
        try {
            return v == null || v.isBlank() ? 30 : Math.max(1, Long.parseLong(v.trim()));
        } catch (NumberFormatException e) {
            throw new UsageException(ENV + " must be a whole number of minutes, got '" + v + "'");
        }
    }

    /** Records the job's progress as last seen; throws when it has not changed for the limit. */
    void seen(String progress) {
        long now = System.nanoTime();
        if (!progress.equals(last)) {
            last = progress;
            since = now;
            return;
        }
        if (now - since > limitNanos) {
            Duration limit = Duration.ofNanos(limitNanos);
            throw new UsageException("gave up waiting for " + what + ": no progress for " + (limit.toMinutes() >= 2
                    ? limit.toMinutes() + " min" : limit.toSeconds() + " s") + " (last seen: " + progress + "). The service "
                    + "may have restarted and lost the job (./emotion status, ./emotion logs); set " + ENV
                    + " to wait longer");
        }
    }
}
