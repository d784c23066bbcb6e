package dev.emotion.training.registry;

import dev.emotion.core.view.ModelCatalog;
import dev.emotion.core.view.StudyCatalog;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The in-memory views this service answers from, rebuilt from Kafka at every start. */
public class TrainingViews {

    @Produces
    @Singleton
    ModelCatalog modelCatalog() {
        return new ModelCatalog();
    }

    @Produces
    @Singleton
    dev.emotion.core.view.TrainingCurves trainingCurves() {
        return new dev.emotion.core.view.TrainingCurves();
    }

    @Produces
    @Singleton
    StudyCatalog studyCatalog() {
        return new StudyCatalog();
    }
}
