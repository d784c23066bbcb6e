package dev.emotion.training.datasets;

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

/** The training-side dataset store: every split of {@code emotion.ingest.frames}. */
@Singleton
public class DatasetStore extends FaceStoreConsumer {

    public DatasetStore(RecordIntake intake, MeterRegistry metrics,
                        @ConfigProperty(name = "emotion.data-dir") String dataDir) {
        super(intake, metrics, Path.of(dataDir).resolve("store"), EnumSet.allOf(Split.class),
                "emotion.training.store.faces");
    }

    @Incoming("ingest-frames")
    @Blocking(ordered = false)
    public void batch(ConsumerRecord<String, String> record) {
        accept(record);
    }
}
