package dev.emotion.evaluation.models;

import dev.emotion.core.contract.ModelTrained;
import dev.emotion.core.contract.TrainingProgress;
import dev.emotion.core.view.ModelCatalog;
import dev.emotion.core.view.TrainingCurves;
import dev.emotion.kit.RecordIntake;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Models to evaluate and the training curves the report will chart, folded from their topics. */
@ApplicationScoped
public class EvaluationEventsConsumer {

    private final RecordIntake intake;
    private final ModelCatalog models;
    private final TrainingCurves curves;

    public EvaluationEventsConsumer(RecordIntake intake, ModelCatalog models, TrainingCurves curves) {
        this.intake = intake;
        this.models = models;
        this.curves = curves;
    }

    @Incoming("models-trained")
    @Blocking
    public void modelTrained(ConsumerRecord<String, String> record) {
        intake.accept(record, ModelTrained.class, models::apply);
    }

    @Incoming("training-progress")
    @Blocking
    public void trainingProgress(ConsumerRecord<String, String> record) {
        intake.accept(record, TrainingProgress.class, curves::apply);
    }
}
