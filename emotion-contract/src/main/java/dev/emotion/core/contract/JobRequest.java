package dev.emotion.core.contract;

import java.time.Instant;
import java.util.Map;

/**
 * A job asked of a service's workers, on its requests topic ({@link Topic#TRAINING_REQUESTS}), keyed by job id: the
 * service that accepted the HTTP request checked it and announced the job as queued; whichever worker of the
 * service's consumer group owns the record's partition runs it, and commits the record only once the job reached
 * a terminal state (so a worker that dies leaves the job to the next owner).
 *
 * @param kind    what to run ({@code training}, ...)
 * @param jobId   the id the job's progress events carry
 * @param request the request as accepted over HTTP (the worker checks it again)
 */
public record JobRequest(Integer version, String kind, String jobId, Map<String, Object> request,
                         Instant submittedAt) implements Contract {

    @Override
    public void validate(Violations v) {
        Contract.checkVersion(v, version);
        v.notBlank("kind", kind);
        v.notBlank("jobId", jobId);
        v.required("request", request);
        v.required("submittedAt", submittedAt);
    }
}
