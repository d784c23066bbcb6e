package dev.emotion.core.ingest;

import dev.emotion.core.contract.Box;
import dev.emotion.core.contract.Contract;
import dev.emotion.core.contract.EmotionLabels;
import dev.emotion.core.contract.FaceBatch;
import dev.emotion.core.contract.FaceFrame;
import dev.emotion.core.contract.IngestCompleted;
import dev.emotion.core.contract.IngestCompleted.ParticipantCounts;
import dev.emotion.core.contract.Split;
import dev.emotion.core.faces.FaceCrop;
import dev.emotion.core.faces.FaceDetector;
import dev.emotion.core.faces.FacePipeline;
import dev.emotion.core.faces.FrameFaces;
import dev.emotion.core.labels.AffdexCsvReader;
import dev.emotion.core.labels.LabelTimeline;
import dev.emotion.core.labels.LabelTrack;
import dev.emotion.core.video.VideoReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One participant's video and labels in, {@link FaceBatch}es out: labels are read and checked against the video's
 * time span before any decoding, every sampled frame's faces are aligned with the annotation at its timestamp
 * (unlabelled when there is none), and batches are handed to the sink in frame order, bounded in frames and bytes.
 * The caller publishes a manifest only when {@link #run} returns; an exception means the job failed.
 */
public final class VideoIngest {

    /** Where the work stands, for progress events. */
    public record Progress(long framesDecoded, long faces, long labelled, long batches) {
    }

    /** What one participant's ingest produced. */
    public record Outcome(ParticipantCounts counts, Map<String, Long> labelCounts, Map<String, Long> excluded,
                          double fps, LabelTrack labels) {
    }

    private final FaceDetector detector;
    private final IngestOptions options;

    public VideoIngest(FaceDetector detector, IngestOptions options) {
        this.detector = detector;
        this.options = options;
    }

    /**
     * @param labelsFile iMotions/Affdex CSV, or null to ingest faces without labels
     * @param batches    receives each batch (publishing it); throwing aborts the ingest
     * @param progress   called after every batch
     */
    public Outcome run(String studyId, String participantId, String jobId, Split split, Path video, Path labelsFile,
                       Consumer<FaceBatch> batches, Consumer<Progress> progress) {
        LabelTrack track = labelsFile == null ? null : new AffdexCsvReader().read(labelsFile);
        LabelTimeline timeline = track == null ? null
                : new LabelTimeline(track, options.alignment(), options.toleranceMs());
        try (VideoReader reader = VideoReader.open(video)) {
            // Labels that miss the video entirely are refused before any decoding or publishing.
            if (timeline != null && reader.info().durationMs() > 0) {
                timeline.requireOverlap(reader.info().durationMs());
            }
            double fps = reader.info().fps() > 0 ? Math.min(reader.info().fps(), options.faces().maxFps())
                    : options.faces().maxFps();
            return ingest(studyId, participantId, jobId, split, reader, track, timeline, fps, batches, progress);
        }
    }

    private Outcome ingest(String studyId, String participantId, String jobId, Split split, VideoReader reader,
                           LabelTrack track, LabelTimeline timeline, double fps, Consumer<FaceBatch> batches,
                           Consumer<Progress> progress) {
        String videoId = reader.file().getFileName().toString();
        Map<String, Long> labelCounts = new TreeMap<>();
        Map<String, Long> excluded = new TreeMap<>();
        long[] faces = {0};
        long[] labelled = {0};
        int[] batchIndex = {0};
        List<FaceFrame> pending = new ArrayList<>();
        int[] pendingBytes = {0};
        long[] decoded = {0};
        Runnable flush = () -> {
            if (pending.isEmpty()) {
                return;
            }
            FaceBatch batch = new FaceBatch(Contract.CURRENT_VERSION, studyId, participantId, videoId, jobId,
                    batchIndex[0]++, split, List.copyOf(pending));
            batches.accept(batch);
            pending.clear();
            pendingBytes[0] = 0;
            progress.accept(new Progress(decoded[0], faces[0], labelled[0], batchIndex[0]));
        };
        FacePipeline.Result result = new FacePipeline(detector, options.faces()).run(reader, (FrameFaces f) -> {
            decoded[0]++;
            Optional<EmotionLabels> labels = timeline == null ? Optional.empty() : timeline.at(f.timestampMs());
            for (FaceCrop crop : f.faces()) {
                if (pending.size() >= options.maxFramesPerBatch()
                        || pendingBytes[0] + crop.jpeg().length > options.maxBatchBytes()) {
                    flush.run();
                }
                String dominant = labels.map(options.policy()::dominant).orElse(null);
                pending.add(new FaceFrame(f.index(), f.timestampMs(), crop.faceId(), box(crop), (double) crop.box()
                        .score(), crop.jpeg(), labels.orElse(null), dominant));
                pendingBytes[0] += crop.jpeg().length;
                faces[0]++;
                if (dominant != null) {
                    labelled[0]++;
                    labelCounts.merge(dominant, 1L, Long::sum);
                } else if (labels.isPresent()) {
                    excluded.merge(options.policy().exclusion(labels.get()), 1L, Long::sum);
                }
            }
        });
        flush.run();
        ParticipantCounts counts = new ParticipantCounts(participantId, videoId, split, (long) result.framesSampled(),
                faces[0], labelled[0], (long) batchIndex[0], track == null ? null : new IngestCompleted.LabelFile(
                track.format(), track.scale(), (long) track.samples().size(), track.noFaceRows(), track.badRows()));
        return new Outcome(counts, labelCounts, excluded, fps, track);
    }

    private static Box box(FaceCrop crop) {
        return new Box(Math.max(0, Math.round(crop.box().x())), Math.max(0, Math.round(crop.box().y())),
                Math.max(1, Math.round(crop.box().width())), Math.max(1, Math.round(crop.box().height())));
    }
}
