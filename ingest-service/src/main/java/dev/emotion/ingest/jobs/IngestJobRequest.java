package dev.emotion.ingest.jobs;

/**
 * A JSON ingest request naming files inside the service's data directory: either one participant
 * ({@code participantId}, {@code video}, optional {@code labels} and {@code split}) or a whole study folder
 * ({@code studyDir}: videos and CSVs matched by file name, participants split 3:1:1 with {@code seed}).
 */
public record IngestJobRequest(String studyId, String participantId, String video, String labels, String split,
                               String studyDir, Long seed, Double maxFps) {
}
