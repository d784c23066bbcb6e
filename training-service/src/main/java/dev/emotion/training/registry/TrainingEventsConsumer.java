package dev.emotion.training.registry;

import dev.emotion.core.contract.IngestCompleted;
import dev.emotion.core.contract.ModelTrained;
import dev.emotion.core.contract.TrainingProgress;
import dev.emotion.core.view.CrossValidationBoard;
import dev.emotion.core.view.TrainingCurves;
import dev.emotion.core.view.ModelCatalog;
import dev.emotion.core.view.StudyCatalog;
import dev.emotion.kit.RecordIntake;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** The model registry, the trainable studies and the trainings' and cross-validations' status, folded from their topics. */
@ApplicationScoped
public class TrainingEventsConsumer {

    private final RecordIntake intake;
    private final ModelCatalog models;
    private final StudyCatalog studies;
    private final TrainingCurves runs;
    private final CrossValidationBoard crossValidations;

    public TrainingEventsConsumer(RecordIntake intake, ModelCatalog models, StudyCatalog studies,
                                  TrainingCurves runs, CrossValidationBoard crossValidations) {
        this.intake = intake;
        this.models = models;
        this.studies = studies;
        this.runs = runs;
        this.crossValidations = crossValidations;
    }

    @Incoming("training-progress")
    @Blocking
    public void trainingProgress(ConsumerRecord<String, String> record) {
        intake.accept(record, TrainingProgress.class, runs::apply);
        runs.position().seen(record.partition(), record.offset()); // how far the view has read (workers wait for it)
    }

    @Incoming("crossval-progress")
    @Blocking
    public void crossValidationProgress(ConsumerRecord<String, String> record) {
        intake.accept(record, dev.emotion.core.contract.CrossValidationProgress.class, crossValidations::apply);
        crossValidations.position().seen(record.partition(), record.offset());
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
