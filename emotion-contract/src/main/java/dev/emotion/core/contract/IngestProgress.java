package dev.emotion.core.contract;

import java.time.Instant;

/**
 * A state change or progress step of one ingest job on {@link Topic#INGEST_PROGRESS}. A job's status is the
 * fold of its events, so any replica can answer a status query. A failed job ends with state {@code failed} and a
 * message; it never publishes an {@link IngestCompleted}. {@code worker} names the ingest-service instance that ran
 * it.
 */
public record IngestProgress(Integer version, String jobId, String studyId, String participantId, JobState state,
                             Long framesDecoded, Long faces, Long labelled, Long batchesPublished, String message,
                             Instant at, String worker) implements Contract {

    /** Without the worker that ran the job (the queued event, older records). */
    public IngestProgress(Integer version, String jobId, String studyId, String participantId, JobState state,
                          Long framesDecoded, Long faces, Long labelled, Long batchesPublished, String message,
                          Instant at) {
        this(version, jobId, studyId, participantId, state, framesDecoded, faces, labelled, batchesPublished,
                message, at, null);
    }

    @Override
    public void validate(Violations v) {
        Contract.checkVersion(v, version);
        v.notBlank("jobId", jobId);
        v.notBlank("studyId", studyId);
        v.required("state", state);
        v.nonNegative("framesDecoded", framesDecoded);
        v.nonNegative("faces", faces);
        v.nonNegative("labelled", labelled);
        v.nonNegative("batchesPublished", batchesPublished);
        if (labelled != null && faces != null && labelled > faces) {
            v.add("labelled", labelled + " is more than faces (" + faces + ")");
        }
        if (state == JobState.FAILED) {
            v.notBlank("message", message);
        }
        v.required("at", at);
    }
}
