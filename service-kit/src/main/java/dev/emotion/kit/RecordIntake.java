package dev.emotion.kit;

import dev.emotion.core.contract.Contract;
import dev.emotion.core.contract.ContractException;
import dev.emotion.core.contract.Contracts;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * The one way services take records off a topic: parse and validate against the contract, hand valid records to
 * the handler, and park everything else (invalid, unreadable, or a handler that throws) on the dead-letter topic.
 */
@ApplicationScoped
public class RecordIntake {

    private static final Logger LOG = Logger.getLogger(RecordIntake.class);

    private final DeadLetterPublisher deadLetters;
    private final MeterRegistry metrics;

    public RecordIntake(DeadLetterPublisher deadLetters, MeterRegistry metrics) {
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    /** @return true when the handler accepted the record, false when it went to the dead-letter topic */
    public <T extends Contract> boolean accept(ConsumerRecord<String, String> record, Class<T> type,
                                               Consumer<T> handler) {
        T value;
        try {
            value = Contracts.parse(record.value(), type);
        } catch (ContractException e) {
            deadLetter(record, e.getMessage());
            return false;
        }
        try {
            handler.accept(value);
        } catch (RuntimeException e) {
            LOG.errorf(e, "handling %s record %d:%d failed", record.topic(), record.partition(), record.offset());
            deadLetter(record, type.getSimpleName() + " was valid but could not be handled: " + e);
            return false;
        }
        metrics.counter("emotion.records.consumed", "topic", record.topic(), "outcome", "accepted").increment();
        return true;
    }

    private void deadLetter(ConsumerRecord<String, String> record, String reason) {
        boolean firstTime = deadLetters.publish(record, reason);
        metrics.counter("emotion.records.consumed", "topic", record.topic(), "outcome",
                firstTime ? "dead_lettered" : "dead_lettered_before").increment();
    }
}
