package dev.emotion.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emotion.core.contract.Contracts;
import dev.emotion.core.contract.DeadLetter;
import dev.emotion.testkit.KafkaProbe;
import dev.emotion.testkit.RealKafkaBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Against the real broker: a replayed bad record is parked once, also by a new publisher (a restarted service). */
class DeadLetterPublisherTest {

    @Test
    void aRecordIsParkedOnceEvenAcrossRestarts() {
        String topic = "kit-test-" + UUID.randomUUID();
        String service = "svc-" + UUID.randomUUID();
        ConsumerRecord<String, String> bad = new ConsumerRecord<>(topic, 0, 17L, "k1", "{not json");
        ConsumerRecord<String, String> other = new ConsumerRecord<>(topic, 0, 18L, "k2", "{}");
        try (KafkaProbe kafka = new KafkaProbe()) {
            DeadLetterPublisher first = new DeadLetterPublisher(KafkaClients.of(java.util.Map.of("bootstrap.servers",
                    RealKafkaBroker.bootstrapServers())), service,
                    new SimpleMeterRegistry());
            assertTrue(first.publish(bad, "unreadable"));
            assertFalse(first.publish(bad, "unreadable"), "same process, same record");
            first.close();

            DeadLetterPublisher restarted = new DeadLetterPublisher(KafkaClients.of(java.util.Map.of("bootstrap.servers",
                    RealKafkaBroker.bootstrapServers())), service,
                    new SimpleMeterRegistry());
            assertFalse(restarted.publish(bad, "unreadable"), "a restarted service replays the record");
            assertTrue(restarted.publish(other, "invalid"));
            restarted.close();

            String dlq = topic + ".dlq";
            ConsumerRecord<String, String> last = kafka.await(dlq, r -> "k2".equals(r.key()), Duration.ofSeconds(20));
            assertEquals(1, last.offset(), "exactly one letter (offset 0) before the second record's");
            DeadLetter letter = Contracts.parse(last.value(), DeadLetter.class);
            assertEquals(18L, letter.offset());
            assertEquals(service, letter.service());
        }
    }
}
