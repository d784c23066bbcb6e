package dev.emotion.evaluation.jobs;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Evaluations on demand (models are also evaluated automatically when they are announced). */
@Path("/api/v1/evaluations")
@Produces(MediaType.APPLICATION_JSON)
public class EvaluationsResource {

    /** {@code modelIds} empty or absent: every registered model of the study. */
    public record EvaluationRequest(String studyId, List<String> modelIds) {
    }

    private final EvaluationJobs jobs;

    public EvaluationsResource(EvaluationJobs jobs) {
        this.jobs = jobs;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Evaluate models of a study on its held-out participants; 202 with the evaluation id")
    public Response submit(EvaluationRequest request) {
        if (request == null) {
            throw new dev.emotion.kit.ApiErrors.Invalid("missing body", "send {\"studyId\": ..., \"modelIds\": [...]}");
        }
        dev.emotion.core.contract.EvaluationProgress s = jobs.submit(request.studyId(), request.modelIds());
        return Response.accepted(s).header("Location", "/api/v1/evaluations/" + s.evaluationId()).build();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "State of one evaluation: per model what happened, the report URL and recommendation")
    public dev.emotion.core.contract.EvaluationProgress get(@PathParam("id") String id) {
        return jobs.status(id);
    }

    @GET
    @Operation(summary = "Every evaluation (from the progress events), newest first")
    public List<dev.emotion.core.contract.EvaluationProgress> list() {
        return jobs.all();
    }
}
