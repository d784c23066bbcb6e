package dev.emotion.evaluation.curves;

import dev.emotion.core.contract.TrainingProgress;
import dev.emotion.core.view.TrainingCurves;
import dev.emotion.kit.ApiErrors;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Training curves from the progress events, for the report's charts. */
@Path("/api/v1/trainings")
@Produces(MediaType.APPLICATION_JSON)
public class TrainingCurvesResource {

    private final TrainingCurves curves;

    public TrainingCurvesResource(TrainingCurves curves) {
        this.curves = curves;
    }

    @GET
    @Operation(summary = "Every training run seen, with its latest progress event")
    public Map<String, TrainingProgress> latest() {
        return curves.latestPerRun();
    }

    @GET
    @Path("{trainingId}/curve")
    @Operation(summary = "A run's progress events in epoch order: losses, validation metrics, learning rate, img/s")
    public List<TrainingProgress> curve(@PathParam("trainingId") String trainingId) {
        List<TrainingProgress> curve = curves.curve(trainingId);
        if (curve.isEmpty()) {
            throw new ApiErrors.Missing("no progress events for training " + trainingId,
                    "list runs with GET /api/v1/trainings");
        }
        return curve;
    }
}
