package dev.emotion.core.view;

import dev.emotion.core.contract.IngestProgress;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ingest job status folded from {@link IngestProgress} events, so any replica can answer a status query.
 * Once a job is final (completed, failed, cancelled), later non-final events (a redelivered "running") are ignored.
 */
public final class JobBoard {

    private final Map<String, IngestProgress> jobs = new ConcurrentHashMap<>();
    private final ViewPosition position = new ViewPosition();

    /** How far this view has read the progress topic. */
    public ViewPosition position() {
        return position;
    }

    public void apply(IngestProgress event) {
        jobs.merge(event.jobId(), event, (current, next) -> {
            if (current.state().isFinal() && !next.state().isFinal()) {
                return current;
            }
            return next.at().isBefore(current.at()) ? current : next;
        });
    }

    public Optional<IngestProgress> job(String jobId) {
        return Optional.ofNullable(jobs.get(jobId));
    }

    public List<IngestProgress> jobs(String studyId) {
        return jobs.values().stream()
                .filter(j -> studyId == null || studyId.equals(j.studyId()))
                .sorted(Comparator.comparing(IngestProgress::at).reversed())
                .toList();
    }
}
