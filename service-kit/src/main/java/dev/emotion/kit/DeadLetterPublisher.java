package dev.emotion.kit;

import dev.emotion.core.contract.Contracts;
import dev.emotion.core.contract.DeadLetter;
import dev.emotion.core.contract.Topic;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Sends records a service refused to {@code <topic>.dlq} with the reason. The send is synchronous: the refused
 * record counts as handled only once its dead letter is stored, so nothing is silently dropped.
 */
@ApplicationScoped
public class DeadLetterPublisher {

    private static final Logger LOG = Logger.getLogger(DeadLetterPublisher.class);

    private final String service;
    private final MeterRegistry metrics;
    private final KafkaProducer<String, String> producer;

    public DeadLetterPublisher(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap,
                               @ConfigProperty(name = "quarkus.application.name") String service,
                               MeterRegistry metrics) {
        this.service = service;
        this.metrics = metrics;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, service + "-dead-letters");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    public void publish(ConsumerRecord<String, String> refused, String reason) {
        DeadLetter letter = DeadLetter.of(refused.topic(), refused.partition(), refused.offset(), refused.key(),
                service, reason, refused.value());
        String dlq = Topic.deadLetterTopic(refused.topic());
        try {
            producer.send(new ProducerRecord<>(dlq, refused.key(), Contracts.toJson(letter))).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Rethrown so that the consumer does not move past a record it could not park.
            throw new IllegalStateException("could not write dead letter for " + refused.topic() + "@"
                    + refused.partition() + ":" + refused.offset() + " to " + dlq + ": " + e.getMessage(), e);
        }
        metrics.counter("emotion.dead.letters", "topic", refused.topic()).increment();
        LOG.warnf("refused %s record %d:%d (key %s) -> %s: %s", refused.topic(), refused.partition(),
                refused.offset(), refused.key(), dlq, reason);
    }

    @PreDestroy
    void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
