package dev.emotion.kit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * A service's job-worker settings ({@code emotion.worker.*}, docs/adr/0004-jobs-as-records.md): this worker's name
 * in logs and progress events, the consumer group its replicas share, how long a silent worker keeps its jobs, and
 * where a new group starts reading requests.
 */
@ConfigMapping(prefix = "emotion.worker")
public interface WorkerSettings {

    /** {@code EMOTION_WORKER_ID}; default: the service's prefix and a random suffix. */
    Optional<String> id();

    /** {@code EMOTION_WORKER_GROUP}; default {@code <prefix>-workers}. */
    Optional<String> group();

    @WithDefault("10000")
    long sessionTimeoutMs();

    /** {@code earliest} or {@code latest} (see {@link JobWorker}). */
    @WithDefault("earliest")
    String startAt();

    default String workerId(String prefix) {
        return id().filter(w -> !w.isBlank()).orElse(prefix + "-" + UUID.randomUUID().toString().substring(0, 8));
    }

    default String groupId(String prefix) {
        return group().filter(g -> !g.isBlank()).orElse(prefix + "-workers");
    }

    default Duration sessionTimeout() {
        return Duration.ofMillis(sessionTimeoutMs());
    }
}
