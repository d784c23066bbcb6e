package dev.emotion.ingest.jobs;

/** A request that cannot become a job; the message says which field or file and what to do. */
public class BadRequest extends RuntimeException {

    public BadRequest(String message) {
        super(message);
    }
}
