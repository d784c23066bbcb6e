package dev.emotion.kit;

import dev.emotion.core.contract.Contracts;
import dev.emotion.core.contract.DeadLetter;
import dev.emotion.core.contract.Topic;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Sends records a service refused to {@code <topic>.dlq} with the reason. The send is synchronous: the refused
 * record counts as handled only once its dead letter is stored, so nothing is silently dropped.
 *
 * <p>Services rebuild their views by replaying topics at every start, so they meet the same bad record again.
 * Before its first letter to a dead-letter topic, the publisher reads what this service already parked there and
 * never parks the same (topic, partition, offset) twice.
 */
@ApplicationScoped
public class DeadLetterPublisher {

    private static final Logger LOG = Logger.getLogger(DeadLetterPublisher.class);

    private final String service;
    private final MeterRegistry metrics;
    private final KafkaProducer<String, String> producer;
    private final KafkaClients kafka;
    private final Map<String, Set<String>> parked = new ConcurrentHashMap<>();

    public DeadLetterPublisher(KafkaClients kafka, @ConfigProperty(name = "quarkus.application.name") String service,
                               MeterRegistry metrics) {
        // Built by hand: a letter must be stored before the refused record counts as handled (a synchronous send
        // from inside the failing consumer), and the topic is derived from each refused record's topic.
        this.service = service;
        this.metrics = metrics;
        this.kafka = kafka;
        Properties p = kafka.producer(service + "-dead-letters");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    /** @return false when this service had already parked this very record (a replay), true when it parked it now */
    public synchronized boolean publish(ConsumerRecord<String, String> refused, String reason) {
        String dlq = Topic.deadLetterTopic(refused.topic());
        Set<String> already = parked.computeIfAbsent(dlq, this::readParked);
        String position = position(refused.topic(), refused.partition(), refused.offset());
        if (already.contains(position)) {
            LOG.debugf("%s was parked on %s before; not again", position, dlq);
            return false;
        }
        DeadLetter letter = DeadLetter.of(refused.topic(), refused.partition(), refused.offset(), refused.key(),
                service, reason, refused.value());
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
        already.add(position);
        return true;
    }

    private static String position(String topic, int partition, long offset) {
        return topic + "/" + partition + "/" + offset;
    }

    /** Positions of the records this service parked on {@code dlq} so far (the topic is small: bad records only). */
    private Set<String> readParked(String dlq) {
        Set<String> positions = ConcurrentHashMap.newKeySet();
        Properties p = kafka.consumer(service + "-dead-letter-index", null);
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(dlq, Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(dlq, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            while (partitions.stream().anyMatch(tp -> consumer.position(tp, Duration.ofSeconds(10)) < end.get(tp))) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        DeadLetter d = Contracts.parse(r.value(), DeadLetter.class);
                        if (service.equals(d.service())) {
                            positions.add(position(d.sourceTopic(), d.partition(), d.offset()));
                        }
                    } catch (RuntimeException e) {
                        LOG.debugf("skipping unreadable record %d on %s", r.offset(), dlq);
                    }
                }
            }
        }
        return positions;
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
