package dev.emotion.evaluation.store;

import dev.emotion.core.contract.Split;
import dev.emotion.core.view.StudyCatalog;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** What this service holds of a study to evaluate on. */
@Path("/api/v1/heldout")
@Produces(MediaType.APPLICATION_JSON)
public class HeldOutResource {

    public record HeldOut(String studyId, boolean ingestCompleted, int validationFaces, int testFaces,
                          List<String> testParticipants) {
    }

    private final HeldOutStore store;
    private final StudyCatalog studies;

    public HeldOutResource(HeldOutStore store, StudyCatalog studies) {
        this.store = store;
        this.studies = studies;
    }

    @GET
    @Path("/{studyId}")
    @Operation(summary = "Labelled validation and test faces of completed ingest jobs stored for the study")
    public HeldOut get(@PathParam("studyId") String studyId) {
        Set<String> jobs = new HashSet<>(studies.study(studyId).map(StudyCatalog.StudySummary::jobIds)
                .orElse(List.of()));
        var test = store.store().samples(studyId, Split.TEST, jobs);
        return new HeldOut(studyId, !jobs.isEmpty(), store.store().samples(studyId, Split.VAL, jobs).size(),
                test.size(), test.stream().map(s -> s.participantId()).distinct().sorted().toList());
    }
}
