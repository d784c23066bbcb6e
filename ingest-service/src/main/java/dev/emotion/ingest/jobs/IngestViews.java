package dev.emotion.ingest.jobs;

import dev.emotion.core.view.JobBoard;
import dev.emotion.core.view.StudyCatalog;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The in-memory views this service answers from, rebuilt from Kafka at every start. */
public class IngestViews {

    @Produces
    @Singleton
    JobBoard jobBoard() {
        return new JobBoard();
    }

    @Produces
    @Singleton
    StudyCatalog studyCatalog() {
        return new StudyCatalog();
    }
}
