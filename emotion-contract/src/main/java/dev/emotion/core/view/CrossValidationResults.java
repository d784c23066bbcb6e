package dev.emotion.core.view;

import dev.emotion.core.contract.CrossValidation;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The latest cross-validation (topic order) per study, architecture and task. */
public final class CrossValidationResults {

    private final Map<String, Map<String, CrossValidation>> perStudy = new ConcurrentHashMap<>();

    public void apply(CrossValidation cv) {
        perStudy.computeIfAbsent(cv.studyId(), k -> new ConcurrentHashMap<>())
                .put(cv.architecture().id() + "/" + cv.task().id(), cv);
    }

    /** The study's cross-validations, ordered by architecture and task. */
    public List<CrossValidation> forStudy(String studyId) {
        return perStudy.getOrDefault(studyId, Map.of()).entrySet().stream()
                .sorted(Map.Entry.comparingByKey()).map(Map.Entry::getValue).toList();
    }
}
