package dev.emotion.training.jobs;

import dev.emotion.core.contract.TrainingProgress;
import dev.emotion.core.view.TrainingCurves;
import dev.emotion.kit.ApiErrors;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class TrainingsResource {

    private final TrainingJobs jobs;
    private final TrainingCurves runs;
    private final CrossValidations crossValidations;

    public TrainingsResource(TrainingJobs jobs, TrainingCurves runs, CrossValidations crossValidations) {
        this.jobs = jobs;
        this.runs = runs;
        this.crossValidations = crossValidations;
    }

    @POST
    @Path("cross-validations")
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(summary = "Queue a leave-one-participant-out cross-validation {studyId, model, task, epochs?, "
            + "batchSize?, learningRate?, seed?, backbone?, folds?}: one model per held-out participant (group), run "
            + "by a training worker like a training; 202 with the queued status")
    public Response crossValidate(TrainingRequest request) {
        return Response.accepted(crossValidations.submit(request)).build();
    }

    @GET
    @Path("cross-validations")
    @Operation(summary = "Cross-validations (optionally of one study) with their folds so far")
    public List<dev.emotion.core.contract.CrossValidationProgress> crossValidations(@jakarta.ws.rs.QueryParam("studyId") String studyId) {
        return crossValidations.list(studyId);
    }

    @GET
    @Path("cross-validations/{id}")
    @Operation(summary = "One cross-validation: state, finished folds, mean and standard deviation")
    public dev.emotion.core.contract.CrossValidationProgress crossValidation(@PathParam("id") String id) {
        return crossValidations.get(id);
    }

    @DELETE
    @Path("cross-validations/{id}")
    @Operation(summary = "Cancel a queued or running cross-validation (its fold stops at the next batch)")
    public Response cancelCrossValidation(@PathParam("id") String id) {
        crossValidations.cancel(id);
        return Response.accepted(Map.of("crossValidationId", id, "cancelling", true)).build();
    }

    @POST
    @Path("trainings")
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(summary = "Queue a training {studyId, model, task, epochs?, batchSize?, gradAccum?, learningRate?, "
            + "weightDecay?, patience?, seed?, augment?, allowRandomInit?}; 202 with the queued event")
    public Response submit(TrainingRequest request) {
        return Response.accepted(jobs.submit(request)).build();
    }

    /** The hyper-parameters a training gets when its request leaves them out (the console shows them). */
    public record Defaults(String model, String task, int epochs, int batchSize, int gradAccum, float learningRate,
                           float weightDecay, int patience, long seed, boolean augment, boolean participantBaseline,
                           String backbone) {
    }

    @GET
    @Path("trainings/defaults")
    @Operation(summary = "The defaults of a training {model, task}: epochs, batch size, learning rate, ...")
    public Defaults defaults(@jakarta.ws.rs.QueryParam("model") String model,
                             @jakarta.ws.rs.QueryParam("task") String task) {
        dev.emotion.core.contract.Architecture a = TrainingJobs.parse(dev.emotion.core.contract.Architecture.class,
                "model", model);
        dev.emotion.core.contract.Task t = TrainingJobs.parse(dev.emotion.core.contract.Task.class, "task",
                task == null ? "emotion_class" : task);
        dev.emotion.core.training.Trainer.Config c = dev.emotion.core.training.Trainer.Config.defaults(a, t);
        return new Defaults(a.id(), t.id(), c.epochs(), c.batchSize(), c.gradAccum(), c.learningRate(),
                c.weightDecay(), c.patience(), c.seed(), c.augment(), c.participantBaseline(),
                c.backbone() == null ? null : c.backbone().id());
    }

    @GET
    @Path("trainings")
    @Operation(summary = "Every training run with its latest progress event")
    public Map<String, TrainingProgress> list() {
        return runs.latestPerRun();
    }

    @GET
    @Path("trainings/{id}")
    @Operation(summary = "A run's latest state: epoch, losses, validation metrics, learning rate, images/s")
    public TrainingProgress get(@PathParam("id") String id) {
        return runs.latest(id).orElseThrow(() -> new ApiErrors.Missing("no training " + id,
                "list trainings with GET /api/v1/trainings"));
    }

    @GET
    @Path("trainings/{id}/curve")
    @Operation(summary = "A run's events in epoch order (training curves)")
    public List<TrainingProgress> curve(@PathParam("id") String id) {
        get(id);
        return runs.curve(id);
    }

    @DELETE
    @Path("trainings/{id}")
    @Operation(summary = "Cancel a queued or running training (stops at the next batch)")
    public Response cancel(@PathParam("id") String id) {
        jobs.cancel(id);
        return Response.accepted(Map.of("trainingId", id, "cancelling", true)).build();
    }
}
