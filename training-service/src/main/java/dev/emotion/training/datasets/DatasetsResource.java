package dev.emotion.training.datasets;

import dev.emotion.core.view.StudyCatalog;
import dev.emotion.kit.ApiErrors;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Studies announced by ingest manifests, and whether each has what training needs. */
@Path("/api/v1/datasets")
@Produces(MediaType.APPLICATION_JSON)
public class DatasetsResource {

    private final StudyCatalog studies;
    private final DatasetStore store;

    public DatasetsResource(StudyCatalog studies, DatasetStore store) {
        this.studies = studies;
        this.store = store;
    }

    @GET
    @Operation(summary = "Ingested studies and whether each can be trained on")
    public List<TrainableStudy> list() {
        return studies.studies().stream().map(TrainableStudy::of).toList();
    }

    @GET
    @Path("{studyId}")
    @Operation(summary = "One study: counts per split and label, and what blocks training if anything")
    public TrainableStudy get(@PathParam("studyId") String studyId) {
        return studies.study(studyId).map(s -> TrainableStudy.of(s, store.store())).orElseThrow(() -> new ApiErrors.Missing(
                "no study " + studyId, "ingest it first; list known studies with GET /api/v1/datasets"));
    }
}
