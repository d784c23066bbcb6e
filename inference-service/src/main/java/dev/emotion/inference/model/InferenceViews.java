package dev.emotion.inference.model;

import dev.emotion.core.view.ModelCatalog;
import dev.emotion.core.view.Recommendations;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The in-memory views this service answers from, rebuilt from Kafka at every start. */
public class InferenceViews {

    @Produces
    @Singleton
    Recommendations recommendations() {
        return new Recommendations();
    }

    @Produces
    @Singleton
    ModelCatalog modelCatalog() {
        return new ModelCatalog();
    }
}
