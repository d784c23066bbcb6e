package dev.emotion.training.registry;

import dev.emotion.core.contract.ModelTrained;
import dev.emotion.core.view.ModelCatalog;
import dev.emotion.kit.ApiErrors;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import io.smallrye.common.annotation.Blocking;
import java.util.Map;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import dev.emotion.training.jobs.TrainingJobs;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The model registry, as published on emotion.models.trained. */
@Path("/api/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelsResource {

    private final ModelCatalog models;
    private final TrainingJobs jobs;

    public ModelsResource(ModelCatalog models, TrainingJobs jobs) {
        this.models = models;
        this.jobs = jobs;
    }

    @POST
    @Path("{modelId}/evaluate")
    @Blocking
    @Operation(summary = "Eval-only: score a registered model on its study's val (default) or test split")
    public Map<String, Object> evaluate(@PathParam("modelId") String modelId, @QueryParam("split") String split) {
        return jobs.evaluate(modelId, split == null ? "val" : split);
    }

    @GET
    @Path("{modelId}/artifact")
    @Produces("application/zip")
    @Operation(summary = "The model as a zip: model.params (DJL) + model.json (architecture, task, preprocessing)")
    public Response artifact(@PathParam("modelId") String modelId) {
        if (!jobs.artifacts().exists(modelId)) {
            throw new ApiErrors.Missing("no artifact for model " + modelId, "list models with GET /api/v1/models");
        }
        StreamingOutput body = out -> jobs.artifacts().zip(modelId, out);
        return Response.ok(body, "application/zip")
                .header("Content-Disposition", "attachment; filename=\"" + modelId + ".zip\"").build();
    }

    @GET
    @Operation(summary = "Trained models, newest first, optionally of one study")
    public List<ModelTrained> list(@QueryParam("studyId") String studyId) {
        return models.models(studyId);
    }

    @GET
    @Path("{modelId}")
    @Operation(summary = "One model: architecture, task, configuration, validation metrics, artifact URL")
    public ModelTrained get(@PathParam("modelId") String modelId) {
        return models.model(modelId).orElseThrow(() -> new ApiErrors.Missing("no model " + modelId,
                "list models with GET /api/v1/models"));
    }
}
