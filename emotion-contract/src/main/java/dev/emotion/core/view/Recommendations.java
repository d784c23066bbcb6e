package dev.emotion.core.view;

import dev.emotion.core.contract.EvaluationReport;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/** The latest evaluation report per study, and the newest recommendation across studies, for inference to follow. */
public final class Recommendations {

    private final Map<String, EvaluationReport> latestPerStudy = new ConcurrentHashMap<>();
    private final AtomicReference<EvaluationReport> lastRecommending = new AtomicReference<>();

    public void apply(EvaluationReport report) {
        EvaluationReport kept = latestPerStudy.merge(report.studyId(), report,
                (current, next) -> next.createdAt().isBefore(current.createdAt()) ? current : next);
        if (kept == report && report.recommendedModelId() != null) {
            lastRecommending.set(report);
        }
    }

    public Optional<EvaluationReport> forStudy(String studyId) {
        return Optional.ofNullable(latestPerStudy.get(studyId));
    }

    /**
     * The report a deployment follows: with {@code study} set (inference's {@code emotion.inference.follow-study}),
     * that study's latest report, which may recommend nothing (serving then keeps its model); without, the newest
     * report of any study that recommends a model.
     */
    public Optional<EvaluationReport> followed(String study) {
        return study == null || study.isBlank() ? latest() : forStudy(study);
    }

    /**
     * The last report, in topic order, that recommends a model: the topic's order is the order evaluations finished
     * (one partition), whereas producers' clocks (createdAt) may disagree.
     */
    public Optional<EvaluationReport> latest() {
        return Optional.ofNullable(lastRecommending.get());
    }
}
