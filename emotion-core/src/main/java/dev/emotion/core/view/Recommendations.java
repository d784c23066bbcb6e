package dev.emotion.core.view;

import dev.emotion.core.contract.EvaluationReport;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The latest evaluation report per study, and the newest recommendation across studies, for inference to follow. */
public final class Recommendations {

    private final Map<String, EvaluationReport> latestPerStudy = new ConcurrentHashMap<>();

    public void apply(EvaluationReport report) {
        latestPerStudy.merge(report.studyId(), report,
                (current, next) -> next.createdAt().isBefore(current.createdAt()) ? current : next);
    }

    public Optional<EvaluationReport> forStudy(String studyId) {
        return Optional.ofNullable(latestPerStudy.get(studyId));
    }

    /** The newest report that recommends a model. */
    public Optional<EvaluationReport> latest() {
        return latestPerStudy.values().stream()
                .filter(r -> r.recommendedModelId() != null)
                .max(Comparator.comparing(EvaluationReport::createdAt));
    }
}
