package dev.emotion.core.view;

import dev.emotion.core.contract.IngestProgress;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Ingest job status folded from {@link IngestProgress} events, so any replica can answer a status query.
 * Once a job is final (completed, failed, cancelled), later non-final events (a redelivered "running") are ignored.
 */
public final class JobBoard {

    private final StatusBoard<IngestProgress> jobs = new StatusBoard<>(IngestProgress::jobId, IngestProgress::state,
            IngestProgress::at);

    /** How far this view has read the progress topic. */
    public ViewPosition position() {
        return jobs.position();
    }

    public void apply(IngestProgress event) {
        jobs.apply(event);
    }

    public Optional<IngestProgress> job(String jobId) {
        return jobs.get(jobId);
    }

    public List<IngestProgress> jobs(String studyId) {
        return jobs.all().stream()
                .filter(j -> studyId == null || studyId.equals(j.studyId()))
                .sorted(Comparator.comparing(IngestProgress::at).reversed())
                .toList();
    }
}
