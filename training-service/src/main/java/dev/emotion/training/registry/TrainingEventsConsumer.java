package dev.emotion.training.registry;

import dev.emotion.core.contract.IngestCompleted;
import dev.emotion.core.contract.ModelTrained;
import dev.emotion.core.view.ModelCatalog;
import dev.emotion.core.view.StudyCatalog;
import dev.emotion.kit.RecordIntake;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** The model registry and the list of trainable studies, both folded from their topics. */
@ApplicationScoped
public class TrainingEventsConsumer {

    private final RecordIntake intake;
    private final ModelCatalog models;
    private final StudyCatalog studies;

    public TrainingEventsConsumer(RecordIntake intake, ModelCatalog models, StudyCatalog studies) {
        this.intake = intake;
        this.models = models;
        this.studies = studies;
    }

    @Incoming("models-trained")
    @Blocking
    public void modelTrained(ConsumerRecord<String, String> record) {
        intake.accept(record, ModelTrained.class, models::apply);
    }

    @Incoming("ingest-completed")
    @Blocking
    public void ingestCompleted(ConsumerRecord<String, String> record) {
        intake.accept(record, IngestCompleted.class, studies::apply);
    }
}
