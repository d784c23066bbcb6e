package dev.emotion.testkit;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A test's hands on the real broker: send a record, and wait for a record matching a predicate. Tests match on
 * their own unique ids, never on counts, since the topics keep what earlier runs wrote.
 */
public final class KafkaProbe implements AutoCloseable {

    private final String bootstrap;
    private final KafkaProducer<String, String> producer;

    public KafkaProbe() {
        this(RealKafkaBroker.bootstrapServers());
    }

    public KafkaProbe(String bootstrap) {
        this.bootstrap = bootstrap;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
        producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    public void send(String topic, String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not send to " + topic + " at " + bootstrap, e);
        }
    }

    /** Reads {@code topic} from the beginning until a record matches, or fails after {@code timeout}. */
    public ConsumerRecord<String, String> await(String topic, Predicate<ConsumerRecord<String, String>> match,
                                                Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "probe-" + UUID.randomUUID());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            Instant deadline = Instant.now().plus(timeout);
            List<TopicPartition> partitions = List.of();
            while (partitions.isEmpty() && Instant.now().isBefore(deadline)) {
                List<PartitionInfo> info = consumer.partitionsFor(topic, Duration.ofSeconds(5));
                partitions = info == null ? List.of()
                        : info.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(250))) {
                    if (match.test(r)) {
                        return r;
                    }
                }
            }
        }
        throw new AssertionError("no matching record on " + topic + " within " + timeout);
    }

    /** Every record on {@code topic} now (up to the end offsets at the time of the call). */
    public List<ConsumerRecord<String, String>> readToEnd(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
        List<ConsumerRecord<String, String>> all = new java.util.ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            Instant deadline = Instant.now().plusSeconds(60);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))
                    && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(250)).forEach(all::add);
            }
        }
        return all;
    }

    /**
     * The partitions of {@code topic} each member of consumer group {@code group} owns now, by member client id;
     * empty while the group has no member or is rebalancing (only a stable group's assignment is settled).
     */
    public java.util.Map<String, java.util.Set<Integer>> groupAssignment(String group, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(p)) {
            var description = admin.describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS)
                    .get(group);
            java.util.Map<String, java.util.Set<Integer>> owned = new java.util.TreeMap<>();
            if (description == null || description.groupState() != org.apache.kafka.common.GroupState.STABLE) {
                return owned;
            }
            for (var member : description.members()) {
                owned.put(member.clientId(), member.assignment().topicPartitions().stream()
                        .filter(tp -> tp.topic().equals(topic)).map(TopicPartition::partition)
                        .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new)));
            }
            return owned;
        } catch (Exception e) {
            throw new IllegalStateException("could not describe consumer group " + group + " at " + bootstrap, e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
