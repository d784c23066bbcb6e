package dev.emotion.inference.model;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready to score until a model is loaded (liveness is unaffected). */
@Readiness
@ApplicationScoped
public class ModelReadiness implements HealthCheck {

    private final ModelLoader loader;

    public ModelReadiness(ModelLoader loader) {
        this.loader = loader;
    }

    @Override
    public HealthCheckResponse call() {
        String id = loader.slot().modelId();
        return HealthCheckResponse.named("model").status(id != null)
                .withData("model", id == null ? "none loaded: waiting for a recommendation or PUT /api/v1/model" : id)
                .build();
    }
}
