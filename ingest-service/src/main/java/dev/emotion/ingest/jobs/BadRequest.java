package dev.emotion.ingest.jobs;

import dev.emotion.kit.ApiErrors;

/** A request that cannot become an ingest job; the message says which field or file and what to do. */
public class BadRequest extends ApiErrors.Invalid {

    public BadRequest(String message) {
        super("invalid ingest request", message);
    }
}
