package dev.emotion.ingest.studies;

import dev.emotion.core.view.StudyCatalog;
import dev.emotion.core.view.StudyCatalog.StudySummary;
import dev.emotion.kit.ApiErrors;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/api/v1/studies")
@Produces(MediaType.APPLICATION_JSON)
public class StudiesResource {

    private final StudyCatalog studies;

    public StudiesResource(StudyCatalog studies) {
        this.studies = studies;
    }

    @GET
    @Operation(summary = "Ingested studies, most recently updated first")
    public List<StudySummary> list() {
        return studies.studies();
    }

    @GET
    @Path("{studyId}")
    @Operation(summary = "A study's participants, faces per split and label counts, from its ingest manifests")
    public StudySummary get(@PathParam("studyId") String studyId) {
        return studies.study(studyId).orElseThrow(() -> new ApiErrors.Missing("no study " + studyId,
                "list studies with GET /api/v1/studies"));
    }
}
