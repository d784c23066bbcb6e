package dev.emotion.ingest.jobs;

import dev.emotion.core.contract.IngestProgress;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Fans job events read from Kafka out to open SSE streams. */
@ApplicationScoped
public class JobEvents {

    private final List<Consumer<IngestProgress>> listeners = new CopyOnWriteArrayList<>();

    public void emit(IngestProgress event) {
        listeners.forEach(l -> l.accept(event));
    }

    public Runnable listen(Consumer<IngestProgress> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }
}
