package dev.emotion.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emotion.core.contract.Split;
import dev.emotion.core.contract.ParticipantSplits;
import dev.emotion.core.ingest.StudyFolder;
import dev.emotion.core.video.VideoException;
import dev.emotion.core.video.VideoReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code ingest}: uploads one participant's video + labels, or every pair of a study folder (splits 3:1:1 by
 * participant, from the seed), to ingest-service and follows each job with a progress bar until it ends.
 */
final class IngestCommand {

    static final String HELP = """
            Usage: ./emotion ingest --study S --participant P --video V [--labels L] [--split train|val|test]
                   ./emotion ingest --study S --study-dir D [--seed 42]
            Options: --max-fps 30 (sampling cap), --url http://localhost:8081 (ingest-service),
                     --api-key K (or EMOTION_API_KEY)
            A study folder holds videos and CSVs matched by name (p01.mp4 + p01.csv).""";

    private final ServiceClient service;
    private final double maxFps;

    private IngestCommand(String url, String apiKey, double maxFps) {
        this.service = new ServiceClient("ingest", "ingest-service", url, apiKey);
        this.maxFps = maxFps;
    }

    static int run(List<String> argv) throws Exception {
        Args a = new Args("ingest", argv, Set.of("study", "participant", "video", "labels", "split", "study-dir",
                "seed", "url", "api-key", "max-fps"), Set.of());
        String study = a.required("study");
        IngestCommand c = new IngestCommand(a.get("url", System.getenv().getOrDefault("INGEST_URL",
                "http://localhost:" + System.getenv().getOrDefault("INGEST_PORT", "8081"))),
                a.get("api-key", System.getenv("EMOTION_API_KEY")), a.number("max-fps", 30));
        List<String[]> jobs = new ArrayList<>(); // participant, video, labels, split
        if (a.has("study-dir")) {
            Path dir = Path.of(a.required("study-dir"));
            Map<String, Path[]> pairs = pairs(dir);
            Map<String, Split> splits = ParticipantSplits.assign(new ArrayList<>(pairs.keySet()),
                    a.integer("seed", 42), 3, 1, 1);
            pairs.forEach((p, files) -> jobs.add(new String[] {p, files[0].toString(), files[1].toString(),
                    splits.get(p).label()}));
        } else {
            jobs.add(new String[] {a.required("participant"), a.required("video"), a.get("labels", null),
                    a.get("split", null)});
        }
        int failed = 0;
        for (String[] j : jobs) {
            failed += c.ingestOne(study, j[0], Path.of(j[1]), j[2] == null ? null : Path.of(j[2]), j[3]) ? 0 : 1;
        }
        System.out.println(jobs.size() - failed + " of " + jobs.size() + " participant(s) ingested into study "
                + study + (failed > 0 ? "; " + failed + " failed" : ""));
        return failed == 0 ? 0 : 1;
    }

    /** The folder's video + CSV pairs by participant; a usage error naming what is wrong otherwise. */
    static Map<String, Path[]> pairs(Path dir) {
        Map<String, Path[]> pairs = new TreeMap<>();
        try {
            StudyFolder.pairs(dir).forEach(p -> pairs.put(p.participantId(), new Path[] {p.video(), p.labels()}));
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new UsageException("ingest: " + e.getMessage());
        }
        return pairs;
    }

    private boolean ingestOne(String study, String participant, Path video, Path labels, String split)
            throws IOException, InterruptedException {
        long expected;
        try (VideoReader r = VideoReader.open(video)) {
            double fps = r.info().fps() > 0 ? Math.min(maxFps, r.info().fps()) : maxFps;
            expected = Math.max(1, Math.round(r.info().durationMs() / 1000.0 * fps));
        } catch (VideoException e) {
            System.err.println("ingest: " + e.getMessage());
            return false;
        }
        Multipart body = new Multipart().field("studyId", study).field("participantId", participant)
                .field("split", split).field("maxFps", Double.toString(maxFps))
                .file("video", video, "application/octet-stream")
                .file("labels", labels, "text/csv");
        JsonNode json = service.submit("/api/v1/ingest/jobs", body.contentType(), body.body(), participant);
        if (json == null) {
            return false;
        }
        return follow(service, json.path("jobId").asText(), participant, expected, "frames");
    }

    /** Follows an ingest job with a progress bar until it ends; true when it completed. */
    static boolean follow(ServiceClient service, String jobId, String what, long expected, String unit)
            throws IOException, InterruptedException {
        ProgressBar bar = new ProgressBar(what, expected, unit);
        Stall stall = new Stall("ingest job " + jobId + " (" + what + ")");
        while (true) {
            Thread.sleep(500);
            JsonNode job = service.get("/api/v1/ingest/jobs/" + jobId);
            String state = job.path("state").asText();
            long frames = job.path("framesDecoded").asLong();
            stall.seen(state + ", " + frames + " " + unit);
            String note = job.path("faces").asLong() + " faces, " + job.path("labelled").asLong() + " labelled";
            if (state.equals("completed")) {
                bar.finish(frames, note + "; " + job.path("message").asText());
                return true;
            }
            if (state.equals("failed") || state.equals("cancelled")) {
                bar.finish(frames, state);
                System.err.println("ingest: " + what + " " + state + ": " + job.path("message").asText());
                return false;
            }
            bar.update(Math.min(frames, expected), note);
        }
    }
}
