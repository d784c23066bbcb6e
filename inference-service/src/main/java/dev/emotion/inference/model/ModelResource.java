package dev.emotion.inference.model;

import dev.emotion.core.contract.EvaluationReport;
import dev.emotion.core.view.Recommendations;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Which model this instance serves, and which one the latest evaluation recommends. */
@Path("/api/v1/model")
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {

    /** {@code loadedModelId} stays null until a model artifact has been downloaded and loaded. */
    public record ModelStatus(String loadedModelId, String recommendedModelId, String recommendedBy,
                              String reason, String reportUrl) {
    }

    private final Recommendations recommendations;

    public ModelResource(Recommendations recommendations) {
        this.recommendations = recommendations;
    }

    @GET
    @Operation(summary = "The loaded model (null until one is loaded) and the latest recommendation")
    public ModelStatus status() {
        return recommendations.latest()
                .map(r -> new ModelStatus(null, r.recommendedModelId(), describe(r), r.recommendationReason(),
                        r.reportUrl()))
                .orElse(new ModelStatus(null, null, null, "no evaluation report has recommended a model yet", null));
    }

    private static String describe(EvaluationReport r) {
        return "evaluation " + r.evaluationId() + " of study " + r.studyId() + " at " + r.createdAt();
    }
}
