package dev.emotion.evaluation.reports;

import dev.emotion.core.FileNames;
import dev.emotion.evaluation.jobs.EvaluationJobs;
import dev.emotion.kit.ApiErrors;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.file.Files;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The study reports: JSON for programs, HTML + PNG charts for people. */
@Path("/")
public class ReportsResource {

    private final EvaluationJobs jobs;

    public ReportsResource(EvaluationJobs jobs) {
        this.jobs = jobs;
    }

    @GET
    @Path("/api/v1/reports/{studyId}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The study's latest report (detailed_analysis.json): every model's metrics with CIs, "
            + "McNemar tests, the recommendation")
    public Response report(@PathParam("studyId") String studyId) {
        return file(studyId, "detailed_analysis.json");
    }

    @GET
    @Path("/reports/{studyId}/{file: .+}")
    @Operation(summary = "The HTML report (index.html) and its charts")
    public Response file(@PathParam("studyId") String studyId, @PathParam("file") String file) {
        java.nio.file.Path root = jobs.reportsDir().resolve(FileNames.safe(studyId)).normalize();
        java.nio.file.Path f = root.resolve(file).normalize();
        if (!FileNames.within(root, f) || !Files.isRegularFile(f)) {
            throw new ApiErrors.Missing("no such report file", "no '" + file + "' in the report of study '" + studyId
                    + "'" + (Files.isDirectory(root) ? "" : ": the study has not been evaluated yet"));
        }
        String name = f.getFileName().toString();
        String type = name.endsWith(".html") ? "text/html; charset=utf-8" : name.endsWith(".png") ? "image/png"
                : name.endsWith(".json") ? MediaType.APPLICATION_JSON : MediaType.APPLICATION_OCTET_STREAM;
        return Response.ok(f.toFile(), type).build();
    }
}
