package dev.emotion.training.datasets;

import dev.emotion.core.contract.FaceBatch;
import dev.emotion.core.training.SampleStore;
import dev.emotion.kit.RecordIntake;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Fills the on-disk sample store from {@code emotion.ingest.frames}. Writes are idempotent (one file per face
 * position), so redelivery never duplicates a sample; the consumer group is tied to the store directory (see
 * application.properties), so an empty directory means a new group that replays the topic from the start.
 */
@ApplicationScoped
public class DatasetStore {

    private final RecordIntake intake;
    private final SampleStore store;
    private final MeterRegistry metrics;

    public DatasetStore(RecordIntake intake, MeterRegistry metrics,
                        @ConfigProperty(name = "emotion.data-dir") String dataDir) {
        this.intake = intake;
        this.metrics = metrics;
        this.store = new SampleStore(Path.of(dataDir).resolve("store"));
    }

    public SampleStore store() {
        return store;
    }

    @Incoming("ingest-frames")
    @Blocking(ordered = false)
    public void batch(ConsumerRecord<String, String> record) {
        intake.accept(record, FaceBatch.class, b -> {
            int n = store.write(b);
            metrics.counter("emotion.training.store.faces").increment(n);
        });
    }
}
