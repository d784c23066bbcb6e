package dev.emotion.kit;

import dev.emotion.core.contract.Contract;
import dev.emotion.core.contract.Contracts;
import dev.emotion.core.contract.Topic;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Publishes contract records: validated before sending, idempotent producer with acks=all, and synchronous, so a
 * caller knows a record is stored before it reports progress or publishes what depends on it.
 */
@ApplicationScoped
public class RecordPublisher {

    private final KafkaProducer<String, String> producer;

    public RecordPublisher(KafkaClients kafka, @ConfigProperty(name = "quarkus.application.name") String service) {
        // Built by hand: synchronous publishing (the caller waits until the record is stored before it reports
        // progress) with per-call topics; an emitter per topic would add nothing but channels to configure.
        Properties p = kafka.producer(service + "-publisher");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    public RecordMetadata publish(Topic topic, String key, Contract record) {
        return await(topic, send(topic, key, record));
    }

    /**
     * Sends without waiting, for bulk data: the idempotent producer keeps the order per partition, and the caller
     * must {@link #await} the futures before announcing anything that depends on these records.
     */
    public Future<RecordMetadata> send(Topic topic, String key, Contract record) {
        if (!topic.recordType().isInstance(record)) {
            throw new IllegalArgumentException(topic.topicName() + " carries " + topic.recordType().getSimpleName()
                    + ", not " + record.getClass().getSimpleName());
        }
        return producer.send(new ProducerRecord<>(topic.topicName(), key, Contracts.toJson(record)));
    }

    public RecordMetadata await(Topic topic, Future<RecordMetadata> sent) {
        try {
            return sent.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("publishing to " + topic.topicName() + " failed: "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("publishing to " + topic.topicName() + " timed out (is the broker up?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing to " + topic.topicName(), e);
        }
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
