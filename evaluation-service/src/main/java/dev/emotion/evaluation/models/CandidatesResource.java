package dev.emotion.evaluation.models;

import dev.emotion.core.contract.ModelTrained;
import dev.emotion.core.view.ModelCatalog;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Trained models this service knows of and can evaluate. */
@Path("/api/v1/candidates")
@Produces(MediaType.APPLICATION_JSON)
public class CandidatesResource {

    private final ModelCatalog models;

    public CandidatesResource(ModelCatalog models) {
        this.models = models;
    }

    @GET
    @Operation(summary = "Models announced on emotion.models.trained, newest first, optionally of one study")
    public List<ModelTrained> list(@QueryParam("studyId") String studyId) {
        return models.models(studyId);
    }
}
