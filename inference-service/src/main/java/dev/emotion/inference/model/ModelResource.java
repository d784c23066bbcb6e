package dev.emotion.inference.model;

import dev.emotion.core.contract.EvaluationReport;
import dev.emotion.core.view.Recommendations;
import dev.emotion.kit.ApiErrors;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Which model this instance serves, which one the latest evaluation recommends, and switching by hand. */
@Path("/api/v1/model")
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {

    /** {@code loadedModelId} stays null until a model artifact has been downloaded and loaded. */
    public record ModelStatus(String loadedModelId, String recommendedModelId, String recommendedBy,
                              String reason, String reportUrl, ModelLoader.Attempt lastAttempt) {
    }

    public record SwitchRequest(String modelId) {
    }

    private final Recommendations recommendations;
    private final ModelLoader loader;

    private final String followStudy;

    public ModelResource(Recommendations recommendations, ModelLoader loader,
                         @org.eclipse.microprofile.config.inject.ConfigProperty(name = "emotion.inference.follow-study")
                         java.util.Optional<String> study) {
        this.recommendations = recommendations;
        this.loader = loader;
        this.followStudy = study.orElse(null);
    }

    @GET
    @Operation(summary = "The loaded model (null until one is loaded) and the latest recommendation")
    public ModelStatus status() {
        String loaded = loader.slot().modelId();
        return recommendations.followed(followStudy)
                .map(r -> new ModelStatus(loaded, r.recommendedModelId(), describe(r), r.recommendationReason(),
                        r.reportUrl(), loader.lastAttempt()))
                .orElse(new ModelStatus(loaded, null, null, followStudy == null
                        ? "no evaluation report has recommended a model yet"
                        : "no evaluation report of study " + followStudy + " yet (emotion.inference.follow-study)",
                        null, loader.lastAttempt()));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Switch to a registered model now (requests in flight finish on the previous one)")
    public ModelStatus switchTo(SwitchRequest request) {
        if (request == null || request.modelId() == null || request.modelId().isBlank()) {
            throw new ApiErrors.Invalid("missing field", "send {\"modelId\": \"...\"}");
        }
        loader.load(request.modelId());
        return status();
    }

    private static String describe(EvaluationReport r) {
        return "evaluation " + r.evaluationId() + " of study " + r.studyId() + " at " + r.createdAt();
    }
}
