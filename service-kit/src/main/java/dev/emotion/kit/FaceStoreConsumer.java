package dev.emotion.kit;

import dev.emotion.core.contract.FaceBatch;
import dev.emotion.core.contract.Split;
import dev.emotion.core.store.SampleStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A service's own on-disk copy of {@code emotion.ingest.frames}, for the splits it needs. Writes are idempotent (one
 * file per face position), so redelivery never duplicates a sample; with {@link StoreGroup} the consumer group
 * belongs to the store directory, so an empty directory replays the topic. A subclass adds the
 * {@code @Incoming("ingest-frames")} method that calls {@link #accept}.
 */
public abstract class FaceStoreConsumer {

    private final RecordIntake intake;
    private final MeterRegistry metrics;
    private final SampleStore store;
    private final Set<Split> splits;
    private final Set<Split> labelsOnly;
    private final String meter;

    protected FaceStoreConsumer(RecordIntake intake, MeterRegistry metrics, Path root, Set<Split> splits,
                                String meter) {
        this(intake, metrics, root, splits, Set.of(), meter);
    }

    /** {@code labelsOnly}: splits whose annotations are kept without the crops. */
    protected FaceStoreConsumer(RecordIntake intake, MeterRegistry metrics, Path root, Set<Split> splits,
                                Set<Split> labelsOnly, String meter) {
        this.intake = intake;
        this.metrics = metrics;
        this.store = new SampleStore(root);
        this.splits = Set.copyOf(splits);
        this.labelsOnly = Set.copyOf(labelsOnly);
        this.meter = meter;
    }

    public SampleStore store() {
        return store;
    }

    protected void accept(ConsumerRecord<String, String> record) {
        intake.accept(record, FaceBatch.class, b -> {
            if (splits.contains(b.split())) {
                metrics.counter(meter, "split", b.split().label()).increment(store.write(b));
            } else if (labelsOnly.contains(b.split())) {
                metrics.counter(meter + ".labels", "split", b.split().label()).increment(store.write(b, false));
            }
        });
    }
}
