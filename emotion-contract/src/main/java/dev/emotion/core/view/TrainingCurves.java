package dev.emotion.core.view;

import dev.emotion.core.contract.TrainingProgress;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per training run, its progress events in epoch order (one per epoch and state; a redelivered event replaces
 * its twin), from which training curves and the run's current state are read.
 */
public final class TrainingCurves {

    private final Map<String, Map<String, TrainingProgress>> runs = new ConcurrentHashMap<>();
    private final ViewPosition position = new ViewPosition();

    public void apply(TrainingProgress event) {
        runs.computeIfAbsent(event.trainingId(), id -> new ConcurrentHashMap<>())
                .put(event.epoch() + "/" + event.state().label(), event);
    }

    /** Events of one run ordered by epoch, then time. */
    public List<TrainingProgress> curve(String trainingId) {
        Map<String, TrainingProgress> events = runs.get(trainingId);
        if (events == null) {
            return List.of();
        }
        return events.values().stream()
                .sorted(Comparator.comparing(TrainingProgress::epoch).thenComparing(TrainingProgress::at))
                .toList();
    }

    /**
     * The run's current state: its terminal event once it has one (a run that ended stays ended, whatever a late
     * event of a worker that had not yet noticed says), else its latest event.
     */
    public Optional<TrainingProgress> latest(String trainingId) {
        List<TrainingProgress> c = curve(trainingId);
        Optional<TrainingProgress> ended = c.stream().filter(p -> p.state().isFinal())
                .min(Comparator.comparing(TrainingProgress::at));
        return ended.isPresent() || c.isEmpty() ? ended : Optional.of(c.get(c.size() - 1));
    }

    /** How far this view has read the progress topic. */
    public ViewPosition position() {
        return position;
    }

    public Map<String, TrainingProgress> latestPerRun() {
        Map<String, TrainingProgress> m = new TreeMap<>();
        runs.keySet().forEach(id -> latest(id).ifPresent(p -> m.put(id, p)));
        return m;
    }
}
