package dev.emotion.inference.scoring;

import dev.emotion.core.contract.Contract;
import dev.emotion.core.contract.InferenceFrame;
import dev.emotion.core.contract.InferencePrediction;
import dev.emotion.core.contract.Topic;
import dev.emotion.core.inference.FaceTracks;
import dev.emotion.core.inference.ImageInput;
import dev.emotion.core.inference.StreamTracks;
import dev.emotion.kit.RecordIntake;
import dev.emotion.kit.RecordPublisher;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Kafka scoring: frames from {@code emotion.inference.frames} in, one prediction per frame on
 * {@code emotion.inference.predictions}, keyed by the stream id (so a stream's predictions stay in order). A frame
 * that cannot be scored (undecodable, no model) gets a prediction with {@code error}; a record that breaks the
 * contract goes to the dead-letter topic. Each stream's face tracks are kept while it sends (at most
 * {@code emotion.inference.kafka.max-streams}, forgotten after {@code stream-idle-seconds} of silence).
 */
@ApplicationScoped
public class FramesConsumer {

    private final RecordIntake intake;
    private final RecordPublisher publisher;
    private final Scoring scoring;
    private final StreamTracks trackers;

    public FramesConsumer(RecordIntake intake, RecordPublisher publisher, Scoring scoring,
                          @ConfigProperty(name = "emotion.inference.kafka.max-streams", defaultValue = "1024")
                          int maxStreams,
                          @ConfigProperty(name = "emotion.inference.kafka.stream-idle-seconds", defaultValue = "300")
                          int idleSeconds) {
        this.intake = intake;
        this.publisher = publisher;
        this.scoring = scoring;
        this.trackers = new StreamTracks(maxStreams, idleSeconds * 1000L);
    }

    @Incoming("inference-frames")
    @Blocking
    public void frame(ConsumerRecord<String, String> record) {
        intake.accept(record, InferenceFrame.class, f -> {
            long t0 = System.nanoTime();
            InferencePrediction p;
            try (PointerScope scope = new PointerScope()) {
                Mat img = ImageInput.decode(f.image(), 25_000_000L, InferenceFrame.MAX_IMAGE_BYTES);
                FaceTracks tracker = trackers.get(f.streamId());
                Scoring.Result r;
                synchronized (tracker) {
                    r = scoring.scoreFrame(img, tracker, t0);
                }
                p = new InferencePrediction(Contract.CURRENT_VERSION, f.streamId(), f.sequence(), f.timestampMs(),
                        r.modelId(), r.faces(), r.latencyMs(), null);
            } catch (ImageInput.BadImage | Scoring.NoModel e) {
                scoring.rejected(e instanceof Scoring.NoModel ? "no_model" : "bad_image");
                p = new InferencePrediction(Contract.CURRENT_VERSION, f.streamId(), f.sequence(), f.timestampMs(),
                        null, null, (System.nanoTime() - t0) / 1e6, e.getMessage());
            }
            publisher.publish(Topic.INFERENCE_PREDICTIONS, f.streamId(), p);
        });
    }
}
