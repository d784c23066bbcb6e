package dev.emotion.testkit;

import dev.emotion.core.contract.Contract;
import dev.emotion.core.contract.Contracts;
import dev.emotion.core.contract.IngestCompleted;
import dev.emotion.core.contract.Split;
import dev.emotion.core.contract.Topic;
import dev.emotion.core.faces.FaceDetector;
import dev.emotion.core.faces.FaceDetectors;
import dev.emotion.core.faces.FacePipeline;
import dev.emotion.core.ingest.IngestOptions;
import dev.emotion.core.contract.ParticipantSplits;
import dev.emotion.core.ingest.VideoIngest;
import dev.emotion.core.synth.SyntheticStudy;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A generated study ingested in-process and published through the real broker as the ingest service would: face
 * batches (each sent twice, a redelivery), then the completed manifest. Counts per split the annotated faces (what a
 * store holds) and the labelled ones (with a dominant label: what the dominant-emotion task uses).
 */
public final class PublishedStudy {

    private final Map<Split, Long> labelled = new EnumMap<>(Split.class);
    private final Map<Split, Long> stored = new EnumMap<>(Split.class);
    private final Map<Split, java.util.Set<String>> classes = new EnumMap<>(Split.class);

    private PublishedStudy() {
    }

    /** {@code participants} people, {@code seconds} of video each, sampled at {@code fps}, 96 px crops. */
    public static PublishedStudy publish(KafkaProbe kafka, String studyId, String jobId, Path dir, int participants,
                                         double seconds, double fps) throws IOException {
        PublishedStudy out = new PublishedStudy();
        SyntheticStudy.Spec spec = new SyntheticStudy.Spec("t", participants, seconds, 320, 240, 30, 9);
        List<SyntheticStudy.Participant> ps = SyntheticStudy.generate(spec, dir, n -> { });
        Map<String, Split> splits = ParticipantSplits.assign(ps.stream().map(SyntheticStudy.Participant::participantId)
                .toList(), 42, 3, 1, 1);
        IngestOptions options = new IngestOptions(new FacePipeline.Options(fps, 96, 1.4, 85),
                IngestOptions.DEFAULT.alignment(), IngestOptions.DEFAULT.toleranceMs(), IngestOptions.DEFAULT.policy(),
                IngestOptions.DEFAULT.maxFramesPerBatch(), IngestOptions.DEFAULT.maxBatchBytes());
        List<IngestCompleted.ParticipantCounts> counts = new ArrayList<>();
        Map<String, Long> labels = new TreeMap<>();
        try (FaceDetector detector = FaceDetectors.open(FaceDetectors.defaultModelPath(), 0.5f, 20)) {
            for (SyntheticStudy.Participant p : ps) {
                VideoIngest.Outcome o = new VideoIngest(detector, options).run(studyId, p.participantId(), jobId,
                        splits.get(p.participantId()), p.video(), p.labels(), b -> {
                            kafka.send(Topic.INGEST_FRAMES.topicName(), b.key(), Contracts.toJson(b));
                            kafka.send(Topic.INGEST_FRAMES.topicName(), b.key(), Contracts.toJson(b)); // redelivery
                        }, x -> { });
                counts.add(o.counts());
                out.labelled.merge(o.counts().split(), o.counts().labelled(), Long::sum);
                out.stored.merge(o.counts().split(), o.counts().labelled()
                        + o.excluded().values().stream().mapToLong(Long::longValue).sum(), Long::sum);
                o.labelCounts().forEach((k, v) -> labels.merge(k, v, Long::sum));
                o.labelCounts().forEach((k, v) -> {
                    if (v > 0) {
                        out.classes.computeIfAbsent(o.counts().split(), x -> new java.util.TreeSet<>()).add(k);
                    }
                });
            }
        }
        kafka.send(Topic.INGEST_COMPLETED.topicName(), studyId, Contracts.toJson(new IngestCompleted(
                Contract.CURRENT_VERSION, studyId, jobId, counts, labels, "imotions",
                new IngestCompleted.Detector("mediapipe-full-range", false, null), fps, Instant.now(), Map.of())));
        return out;
    }

    /** Labelled faces published for one split. */
    /** How many dominant classes are annotated in a split (chance = 1 / this). */
    public long classes(Split split) {
        return classes.getOrDefault(split, java.util.Set.of()).size();
    }

    /** Faces with a dominant label (the dominant-emotion task's samples). */
    public long labelled(Split split) {
        return labelled.getOrDefault(split, 0L);
    }

    /** Annotated faces: labelled ones plus those the label policy left ambiguous (what a store holds). */
    public long stored(Split split) {
        return stored.getOrDefault(split, 0L);
    }
}
