package dev.emotion.evaluation.store;

import dev.emotion.core.contract.FaceBatch;
import dev.emotion.core.contract.Split;
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
 * This service's own copy of the held-out data: validation (temperature scaling) and test (every metric) faces from
 * {@code emotion.ingest.frames}; training faces are skipped. Idempotent per face position, group tied to the
 * store directory (StoreGroup), so an empty directory replays the topic.
 */
@ApplicationScoped
public class HeldOutStore {

    private final RecordIntake intake;
    private final SampleStore store;
    private final MeterRegistry metrics;

    public HeldOutStore(RecordIntake intake, MeterRegistry metrics,
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
            if (b.split() != Split.TRAIN) {
                metrics.counter("emotion.evaluation.store.faces", "split", b.split().label())
                        .increment(store.write(b));
            }
        });
    }
}
