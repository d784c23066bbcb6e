package dev.emotion.evaluation.models;

import dev.emotion.core.view.ModelCatalog;
import dev.emotion.core.view.StudyCatalog;
import dev.emotion.core.view.TrainingCurves;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The in-memory views this service answers from, rebuilt from Kafka at every start. */
public class EvaluationViews {

    @Produces
    @Singleton
    ModelCatalog modelCatalog() {
        return new ModelCatalog();
    }

    @Produces
    @Singleton
    TrainingCurves trainingCurves() {
        return new TrainingCurves();
    }

    @Produces
    @Singleton
    StudyCatalog studyCatalog() {
        return new StudyCatalog();
    }
}
