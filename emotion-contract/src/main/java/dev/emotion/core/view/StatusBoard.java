package dev.emotion.core.view;

import dev.emotion.core.contract.JobState;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A job's status folded from its progress events, latest event per job id, so any replica answers a status query.
 * Once a job ended (completed, failed, cancelled), later non-final events (a redelivered or slower worker's
 * "running") do not change it; otherwise the newer event wins. The ingest, training cross-validation and evaluation
 * boards are this fold over their own event type.
 */
public final class StatusBoard<E> {

    private final Map<String, E> latest = new ConcurrentHashMap<>();
    private final ViewPosition position = new ViewPosition();
    private final Function<E, String> id;
    private final Function<E, JobState> state;
    private final Function<E, Instant> at;

    public StatusBoard(Function<E, String> id, Function<E, JobState> state, Function<E, Instant> at) {
        this.id = id;
        this.state = state;
        this.at = at;
    }

    public void apply(E event) {
        latest.merge(id.apply(event), event, (current, next) -> {
            if (state.apply(current).isFinal() && !state.apply(next).isFinal()) {
                return current;
            }
            return at.apply(next).isBefore(at.apply(current)) ? current : next;
        });
    }

    public Optional<E> get(String jobId) {
        return Optional.ofNullable(latest.get(jobId));
    }

    /** Every job's latest event, in no particular order. */
    public Collection<E> all() {
        return latest.values();
    }

    /** How far this view has read the progress topic. */
    public ViewPosition position() {
        return position;
    }
}
