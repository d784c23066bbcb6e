package dev.emotion.inference.model;

import dev.emotion.core.contract.EvaluationReport;
import dev.emotion.core.contract.ModelTrained;
import dev.emotion.core.view.ModelCatalog;
import dev.emotion.core.view.Recommendations;
import dev.emotion.kit.RecordIntake;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Follows the registry (artifact URLs) and the evaluation reports: the followed recommendation (one study's, when
 * {@code emotion.inference.follow-study} names it; else the newest of any study) is the model this instance serves,
 * loaded in the background as soon as its artifact is known.
 */
@ApplicationScoped
public class ReportsConsumer {

    private final RecordIntake intake;
    private final Recommendations recommendations;
    private final ModelCatalog models;
    private final ModelLoader loader;
    private final String followStudy;

    public ReportsConsumer(RecordIntake intake, Recommendations recommendations, ModelCatalog models,
                           ModelLoader loader,
                           @ConfigProperty(name = "emotion.inference.follow-study") java.util.Optional<String> study) {
        this.intake = intake;
        this.recommendations = recommendations;
        this.models = models;
        this.loader = loader;
        this.followStudy = study.orElse(null);
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

    /**
     * Loads the followed recommendation (of {@code emotion.inference.follow-study}, else the newest of any study)
     * once the registry has announced its model; a report that recommends nothing changes nothing.
     */
    private void followRecommendation() {
        recommendations.followed(followStudy).map(EvaluationReport::recommendedModelId)
                .filter(id -> models.model(id).isPresent()).ifPresent(loader::loadLater);
    }
}
