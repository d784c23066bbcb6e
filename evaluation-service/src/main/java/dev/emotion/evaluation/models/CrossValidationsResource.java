package dev.emotion.evaluation.models;

import dev.emotion.core.contract.CrossValidation;
import dev.emotion.core.view.CrossValidationResults;
import dev.emotion.kit.ApiErrors;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Leave-one-participant-out results announced by training-service, as the study's report shows them. */
@Path("/api/v1/cross-validations")
@Produces(MediaType.APPLICATION_JSON)
public class CrossValidationsResource {

    private final CrossValidationResults results;

    public CrossValidationsResource(CrossValidationResults results) {
        this.results = results;
    }

    @GET
    @Path("{studyId}")
    @Operation(summary = "The latest cross-validation per architecture and task of a study")
    public List<CrossValidation> forStudy(@PathParam("studyId") String studyId) {
        List<CrossValidation> out = results.forStudy(studyId);
        if (out.isEmpty()) {
            throw new ApiErrors.Missing("no cross-validation of study " + studyId,
                    "run one: ./emotion cross-validate --study " + studyId + " --model cnn_simple");
        }
        return out;
    }
}
