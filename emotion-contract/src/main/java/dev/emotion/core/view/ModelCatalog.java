package dev.emotion.core.view;

import dev.emotion.core.contract.ModelTrained;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The model registry folded from {@link ModelTrained} events; redelivery of an event is harmless. */
public final class ModelCatalog {

    private final Map<String, ModelTrained> models = new ConcurrentHashMap<>();

    public void apply(ModelTrained model) {
        models.put(model.modelId(), model);
    }

    public Optional<ModelTrained> model(String modelId) {
        return Optional.ofNullable(models.get(modelId));
    }

    /** Newest first; {@code studyId == null} lists every study's models. */
    public List<ModelTrained> models(String studyId) {
        return models.values().stream()
                .filter(m -> studyId == null || studyId.equals(m.studyId()))
                .sorted(Comparator.comparing(ModelTrained::createdAt).reversed())
                .toList();
    }
}
