package dev.emotion.core.view;

import dev.emotion.core.contract.IngestCompleted;
import dev.emotion.core.contract.IngestCompleted.ParticipantCounts;
import dev.emotion.core.contract.Split;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What has been ingested, per study, folded from {@link IngestCompleted} manifests. Applying the same manifest
 * twice (redelivery, replay) changes nothing: manifests are kept by job id.
 */
public final class StudyCatalog {

    /**
     * A study as users see it: its participants, faces per split and per dominant label (and labelled faces left
     * out of the dominant task, by reason), how it was made, and the
     * leave-one-participant-out fold of each participant (its index in sorted order over the whole study).
     */
    public record StudySummary(String studyId, List<String> jobIds, List<ParticipantCounts> participants,
                               Map<Split, Long> facesPerSplit, Map<String, Long> labelCounts,
                               Map<String, Long> excluded, List<String> labelSources, List<String> detectors, boolean detectorFallbackUsed,
                               Map<String, Integer> lopoFolds, Instant updatedAt) {
    }

    private final Map<String, Map<String, IngestCompleted>> manifests = new ConcurrentHashMap<>();

    public void apply(IngestCompleted manifest) {
        manifests.computeIfAbsent(manifest.studyId(), s -> new ConcurrentHashMap<>())
                .put(manifest.jobId(), manifest);
    }

    public Optional<StudySummary> study(String studyId) {
        Map<String, IngestCompleted> jobs = manifests.get(studyId);
        return jobs == null ? Optional.empty() : Optional.of(summarise(studyId, jobs.values()));
    }

    /** Each participant's split in the study, as its latest manifest says (empty for an unknown study). */
    public Map<String, Split> splits(String studyId) {
        Map<String, Split> out = new TreeMap<>();
        Map<String, IngestCompleted> jobs = manifests.get(studyId);
        if (jobs != null) {
            jobs.values().stream().sorted(Comparator.comparing(IngestCompleted::completedAt))
                    .forEach(m -> m.participants().forEach(p -> out.put(p.participantId(), p.split())));
        }
        return out;
    }

    public List<StudySummary> studies() {
        return manifests.entrySet().stream()
                .map(e -> summarise(e.getKey(), e.getValue().values()))
                .sorted(Comparator.comparing(StudySummary::updatedAt).reversed())
                .toList();
    }

    private static StudySummary summarise(String studyId, java.util.Collection<IngestCompleted> jobs) {
        List<IngestCompleted> ordered = jobs.stream().sorted(Comparator.comparing(IngestCompleted::completedAt)).toList();
        // A participant's video re-ingested by a later job replaces the earlier counts.
        Map<String, ParticipantCounts> byVideo = new TreeMap<>();
        Map<String, Long> labels = new TreeMap<>();
        Map<String, Long> excluded = new TreeMap<>();
        TreeSet<String> sources = new TreeSet<>();
        TreeSet<String> detectors = new TreeSet<>();
        boolean fallback = false;
        for (IngestCompleted m : ordered) {
            m.participants().forEach(p -> byVideo.put(p.participantId() + "/" + p.videoId(), p));
            m.labelCounts().forEach((label, n) -> labels.merge(label, n, Long::sum));
            if (m.excluded() != null) {
                m.excluded().forEach((reason, n) -> excluded.merge(reason, n, Long::sum));
            }
            sources.add(m.labelSource());
            detectors.add(m.detector().name());
            fallback |= Boolean.TRUE.equals(m.detector().fallback());
        }
        Map<Split, Long> perSplit = new EnumMap<>(Split.class);
        byVideo.values().forEach(p -> perSplit.merge(p.split(), p.faces(), Long::sum));
        Map<String, Integer> folds = dev.emotion.core.contract.ParticipantSplits.lopoFolds(
                byVideo.values().stream().map(ParticipantCounts::participantId).toList());
        return new StudySummary(studyId, ordered.stream().map(IngestCompleted::jobId).toList(),
                new ArrayList<>(byVideo.values()), perSplit, labels, excluded, List.copyOf(sources), List.copyOf(detectors),
                fallback, folds, ordered.get(ordered.size() - 1).completedAt());
    }
}
