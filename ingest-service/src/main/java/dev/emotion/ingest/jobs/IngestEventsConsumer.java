package dev.emotion.ingest.jobs;

import dev.emotion.core.contract.IngestCompleted;
import dev.emotion.core.contract.IngestProgress;
import dev.emotion.core.view.JobBoard;
import dev.emotion.core.view.StudyCatalog;
import dev.emotion.kit.RecordIntake;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Folds job events and manifests into the views behind the job and study endpoints. */
@ApplicationScoped
public class IngestEventsConsumer {

    private final RecordIntake intake;
    private final JobBoard jobs;
    private final StudyCatalog studies;
    private final JobEvents events;

    public IngestEventsConsumer(RecordIntake intake, JobBoard jobs, StudyCatalog studies, JobEvents events) {
        this.intake = intake;
        this.jobs = jobs;
        this.studies = studies;
        this.events = events;
    }

    @Incoming("ingest-progress")
    @Blocking
    public void progress(ConsumerRecord<String, String> record) {
        intake.accept(record, IngestProgress.class, p -> {
            jobs.apply(p);
            events.emit(p);
        });
        jobs.position().seen(record.partition(), record.offset()); // how far the view has read (workers wait)
    }

    @Incoming("ingest-completed")
    @Blocking
    public void completed(ConsumerRecord<String, String> record) {
        intake.accept(record, IngestCompleted.class, studies::apply);
    }
}
