package dev.emotion.ingest.jobs;

import dev.emotion.core.contract.IngestProgress;
import dev.emotion.core.view.JobBoard;
import dev.emotion.kit.ApiErrors;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/api/v1/ingest/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class IngestJobsResource {

    private final JobBoard jobs;

    public IngestJobsResource(JobBoard jobs) {
        this.jobs = jobs;
    }

    @GET
    @Operation(summary = "Ingest jobs, newest first, optionally of one study")
    public List<IngestProgress> list(@QueryParam("studyId") String studyId) {
        return jobs.jobs(studyId);
    }

    @GET
    @Path("{jobId}")
    @Operation(summary = "A job's latest state and counts (frames decoded, faces, labelled, batches published)")
    public IngestProgress get(@PathParam("jobId") String jobId) {
        return jobs.job(jobId).orElseThrow(() -> new ApiErrors.Missing("no ingest job " + jobId,
                "list jobs with GET /api/v1/ingest/jobs"));
    }
}
