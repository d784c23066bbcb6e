package dev.emotion.inference.model;

import dev.emotion.core.contract.EvaluationReport;
import dev.emotion.core.contract.ModelTrained;
import dev.emotion.core.view.ModelCatalog;
import dev.emotion.core.view.Recommendations;
import dev.emotion.kit.RecordIntake;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Follows the registry (artifact URLs) and the evaluation reports: the newest recommendation is the model this
 * instance serves, loaded in the background as soon as its artifact is known.
 */
@ApplicationScoped
public class ReportsConsumer {

    private final RecordIntake intake;
    private final Recommendations recommendations;
    private final ModelCatalog models;
    private final ModelLoader loader;

    public ReportsConsumer(RecordIntake intake, Recommendations recommendations, ModelCatalog models,
                           ModelLoader loader) {
        this.intake = intake;
        this.recommendations = recommendations;
        this.models = models;
        this.loader = loader;
    }

    @Incoming("evaluation-reports")
    @Blocking
    public void report(ConsumerRecord<String, String> record) {
        intake.accept(record, EvaluationReport.class, r -> {
            recommendations.apply(r);
            followRecommendation();
        });
    }

    @Incoming("models-trained")
    @Blocking
    public void model(ConsumerRecord<String, String> record) {
        intake.accept(record, ModelTrained.class, m -> {
            models.apply(m);
            followRecommendation();
        });
    }

    /** Loads the latest recommended model once the registry has announced it. */
    private void followRecommendation() {
        recommendations.latest().map(EvaluationReport::recommendedModelId)
                .filter(id -> models.model(id).isPresent()).ifPresent(loader::loadLater);
    }
}
