package dev.emotion.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emotion.core.contract.ServiceRights;
import dev.emotion.core.contract.Topic;
import dev.emotion.testkit.SecureKafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The authorised broker of {@code ./emotion kafka start --secure} refuses what it must: a client without
 * credentials or with a wrong password gets nothing, and each service's user may write only the topics it owns,
 * read only the topics it consumes and join only its own consumer groups ({@link ServiceRights}). That the rights
 * are enough is shown by {@link EndToEndTest}, whose four services run the whole pipeline on this broker. Nothing
 * is written here: every attempt below must be refused.
 */
class SecureBrokerTest {

    @BeforeAll
    static void broker() {
        administer();
    }

    /**
     * Sets the secure broker up as its administrator (users, topics, ACLs: what {@code ./emotion kafka start --secure}
     * does after the launch; idempotent), after checking it answers.
     */
    static void administer() {
        SecureKafkaBroker.check();
        assertEquals(0, dev.emotion.cli.Main.run(new String[] {"kafka-secure-setup", "--bootstrap",
                SecureKafkaBroker.bootstrapServers(), "--credentials", SecureKafkaBroker.credentialsFile().toString()}));
    }

    static Properties quick(Properties p) {
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 8_000);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 8_000);
        return p;
    }

    @Test
    void aClientWithoutCredentialsGetsNothing() {
        Properties plain = new Properties();
        plain.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SecureKafkaBroker.bootstrapServers());
        try (Admin admin = Admin.create(quick(plain))) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> admin.listTopics().names().get(15, TimeUnit.SECONDS));
            System.out.println("no credentials: " + e.getCause());
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(quick(plain), new StringSerializer(),
                new StringSerializer())) {
            Exception e = assertThrows(Exception.class, () -> producer.send(new ProducerRecord<>(
                    Topic.MODELS_TRAINED.topicName(), "intruder", "{}")).get(15, TimeUnit.SECONDS));
            System.out.println("no credentials, send: " + e);
        }
    }

    @Test
    void aWrongPasswordIsRefused() {
        try (Admin admin = Admin.create(quick(SecureKafkaBroker.client("emotion-ingest", "not-the-password")))) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> admin.listTopics().names().get(15, TimeUnit.SECONDS));
            assertInstanceOf(SaslAuthenticationException.class, e.getCause(), e.toString());
        }
    }

    @Test
    void eachServiceWritesOnlyItsOwnTopics() throws Exception {
        List<String> refused = new ArrayList<>();
        for (ServiceRights s : ServiceRights.values()) {
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(quick(
                    SecureKafkaBroker.service(s.service())), new StringSerializer(), new StringSerializer())) {
                for (Topic t : Topic.values()) {
                    if (s.writes().contains(t)) {
                        continue;
                    }
                    ExecutionException e = assertThrows(ExecutionException.class, () -> producer.send(
                            new ProducerRecord<>(t.topicName(), "forged-" + UUID.randomUUID(), "{}"))
                            .get(15, TimeUnit.SECONDS), s.principal() + " wrote " + t.topicName());
                    assertInstanceOf(TopicAuthorizationException.class, e.getCause(), s.principal() + " -> "
                            + t.topicName() + ": " + e);
                    refused.add(s.service() + "->" + t.topicName());
                }
            }
        }
        // e.g. ingest may not forge a trained model, inference may not write the registry
        assertTrue(refused.contains("ingest->" + Topic.MODELS_TRAINED.topicName()), refused.toString());
        assertTrue(refused.contains("inference->" + Topic.MODELS_TRAINED.topicName()), refused.toString());
        System.out.println("writes refused: " + refused.size());
    }

    @Test
    void eachServiceReadsOnlyWhatItConsumesAndJoinsOnlyItsOwnGroups() {
        int refused = 0;
        for (ServiceRights s : ServiceRights.values()) {
            for (Topic t : Topic.values()) {
                if (s.reads().contains(t)) {
                    continue;
                }
                Properties p = quick(SecureKafkaBroker.service(s.service()));
                try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                        new StringDeserializer())) {
                    consumer.assign(List.of(new TopicPartition(t.topicName(), 0)));
                    consumer.seekToBeginning(consumer.assignment());
                    assertThrows(TopicAuthorizationException.class, () -> consumer.poll(Duration.ofSeconds(10)),
                            s.principal() + " read " + t.topicName());
                    refused++;
                }
            }
        }
        // ingest joining training's worker group (to take its jobs) is refused
        Properties p = quick(SecureKafkaBroker.service("ingest"));
        p.put(ConsumerConfig.GROUP_ID_CONFIG, ServiceRights.TRAINING.groupPrefix() + "workers");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(Topic.INGEST_REQUESTS.topicName()));
            assertThrows(GroupAuthorizationException.class, () -> consumer.poll(Duration.ofSeconds(10)));
        }
        assertEquals(Topic.values().length * ServiceRights.values().length - java.util.Arrays.stream(
                ServiceRights.values()).mapToInt(s -> s.reads().size()).sum(), refused);
    }
}
