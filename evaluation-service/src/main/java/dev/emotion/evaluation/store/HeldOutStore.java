package dev.emotion.evaluation.store;

import dev.emotion.core.contract.Split;
import dev.emotion.kit.FaceStoreConsumer;
import dev.emotion.kit.RecordIntake;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.EnumSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * This service's copy of the held-out data: validation (temperature scaling) and test (every metric) faces of
 * {@code emotion.ingest.frames}; of the training faces only the labels are kept (the AU oracle is fitted on them).
 */
@Singleton
public class HeldOutStore extends FaceStoreConsumer {

    public HeldOutStore(RecordIntake intake, MeterRegistry metrics,
                        @ConfigProperty(name = "emotion.data-dir") String dataDir) {
        super(intake, metrics, Path.of(dataDir).resolve("store"), EnumSet.of(Split.VAL, Split.TEST),
                EnumSet.of(Split.TRAIN), "emotion.evaluation.store.faces");
    }

    @Incoming("ingest-frames")
    @Blocking(ordered = false)
    public void batch(ConsumerRecord<String, String> record) {
        accept(record);
    }
}
