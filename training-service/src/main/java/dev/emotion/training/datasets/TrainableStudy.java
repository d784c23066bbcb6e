package dev.emotion.training.datasets;

import dev.emotion.core.contract.Split;
import dev.emotion.core.view.StudyCatalog.StudySummary;
import java.util.ArrayList;
import java.util.List;

/** A study seen from training: can it be trained on, and if not, why not. */
public record TrainableStudy(String studyId, boolean trainable, List<String> blockers,
                             java.util.Map<String, Integer> storedSamples, StudySummary study) {

    /** With the labelled samples of completed ingest jobs now in the store, per split. */
    public static TrainableStudy of(StudySummary s, dev.emotion.core.store.SampleStore store) {
        java.util.Map<String, Integer> stored = new java.util.LinkedHashMap<>();
        java.util.Set<String> jobs = new java.util.HashSet<>(s.jobIds());
        for (Split split : Split.values()) {
            stored.put(split.label(), store.samples(s.studyId(), split, jobs).size());
        }
        TrainableStudy t = of(s);
        return new TrainableStudy(t.studyId(), t.trainable(), t.blockers(), stored, s);
    }

    public static TrainableStudy of(StudySummary s) {
        List<String> blockers = new ArrayList<>();
        for (Split split : List.of(Split.TRAIN, Split.VAL)) {
            if (s.facesPerSplit().getOrDefault(split, 0L) == 0) {
                blockers.add("no faces in the " + split.label() + " split (ingest more participants)");
            }
        }
        long labelled = s.participants().stream().mapToLong(p -> p.labelled()).sum();
        if (labelled == 0) {
            blockers.add("no labelled frames (check that the labels' timestamps overlap the videos)");
        }
        return new TrainableStudy(s.studyId(), blockers.isEmpty(), blockers, java.util.Map.of(), s);
    }
}
