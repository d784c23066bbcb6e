package dev.emotion.ingest.jobs;

import dev.emotion.core.FileNames;
import dev.emotion.core.contract.IngestProgress;
import dev.emotion.core.view.JobBoard;
import dev.emotion.kit.ApiErrors;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestStreamElementType;
import org.jboss.resteasy.reactive.multipart.FileUpload;

@Path("/api/v1/ingest/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class IngestJobsResource {

    private final JobBoard jobs;
    private final IngestJobs runner;
    private final JobEvents events;

    public IngestJobsResource(JobBoard jobs, IngestJobs runner, JobEvents events) {
        this.jobs = jobs;
        this.runner = runner;
        this.events = events;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(summary = "Ingest files inside the data directory: one participant (participantId, video, labels, "
            + "split) or a study folder (studyDir); 202 with the queued job")
    public Response submit(IngestJobRequest request) {
        if (request == null) {
            throw new BadRequest("send a JSON body: {studyId, participantId, video, labels} or {studyId, studyDir}");
        }
        return Response.accepted(runner.submit(request)).build();
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Blocking
    @Operation(summary = "Ingest an uploaded video (+ labels CSV) of one participant; 202 with the queued job")
    public Response upload(@RestForm String studyId, @RestForm String participantId, @RestForm String split,
                           @RestForm Double maxFps, @RestForm("video") FileUpload video,
                           @RestForm("labels") FileUpload labels) {
        if (video == null) {
            throw new BadRequest("multipart field 'video' (the video file) is required");
        }
        String jobId = IngestJobs.newJobId();
        java.nio.file.Path dir = runner.dataDir().resolve("uploads").resolve(jobId);
        try {
            Files.createDirectories(dir);
            java.nio.file.Path v = dir.resolve(safeName(video.fileName(), "video.mp4"));
            Files.copy(video.uploadedFile(), v, StandardCopyOption.REPLACE_EXISTING);
            java.nio.file.Path l = null;
            if (labels != null) {
                l = dir.resolve(safeName(labels.fileName(), "labels.csv"));
                Files.copy(labels.uploadedFile(), l, StandardCopyOption.REPLACE_EXISTING);
            }
            return Response.accepted(runner.submitUploaded(jobId, studyId, participantId, v, l, split, maxFps))
                    .build();
        } catch (IOException e) {
            throw new IllegalStateException("could not store the upload in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The most files and bytes an uploaded stills archive may unpack to. */
    static final int MAX_STILLS_FILES = 200_000;
    static final long MAX_STILLS_BYTES = 8L << 30;

    @POST
    @Path("/stills")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Blocking
    @Operation(summary = "Ingest a study of labelled stills and clips: a zip with labels.csv (file,label[,subject,"
            + "split,source,AFFDEX expressions 0..100]) and the files it names; 202 with the queued job, 400 naming "
            + "the row of a missing file, unknown label or subject in two splits")
    public Response stills(@RestForm String studyId, @RestForm String split, @RestForm Long seed,
                           @RestForm Boolean aligned, @RestForm Double maxFps,
                           @RestForm("archive") FileUpload archive) {
        if (archive == null) {
            throw new BadRequest("multipart field 'archive' (a zip with labels.csv and the images) is required; "
                    + "./emotion import makes it from the common dataset layouts");
        }
        String jobId = IngestJobs.newJobId();
        java.nio.file.Path dir = runner.dataDir().resolve("uploads").resolve(jobId);
        try (var in = Files.newInputStream(archive.uploadedFile())) {
            new dev.emotion.core.SafeZip("stills archive", true, MAX_STILLS_FILES, MAX_STILLS_BYTES).unzip(in, dir);
        } catch (IOException e) {
            deleteQuietly(dir);
            throw new BadRequest("the archive cannot be unpacked: " + e.getMessage());
        }
        try {
            return Response.accepted(runner.submitStills(jobId, studyId, dir, split, seed, aligned, maxFps)).build();
        } catch (RuntimeException e) {
            deleteQuietly(dir); // refused: nothing of it stays
            throw e;
        }
    }

    private static void deleteQuietly(java.nio.file.Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // best effort: a leftover upload folder holds no job
        }
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

    @GET
    @Path("{jobId}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Server-sent events: the job's current state, then each progress event until it ends")
    public Multi<IngestProgress> events(@PathParam("jobId") String jobId) {
        IngestProgress current = get(jobId);
        return Multi.createFrom().emitter(em -> {
            em.emit(current);
            if (current.state().isFinal()) {
                em.complete();
                return;
            }
            Runnable stop = events.listen(e -> {
                if (e.jobId().equals(jobId)) {
                    em.emit(e);
                    if (e.state().isFinal()) {
                        em.complete();
                    }
                }
            });
            em.onTermination(stop);
        });
    }

    private static String safeName(String name, String fallback) {
        if (name == null) {
            return fallback;
        }
        String base = FileNames.safe(java.nio.file.Path.of(name).getFileName().toString());
        return base.isBlank() || base.startsWith(".") ? fallback : base;
    }
}
