package dev.emotion.kit;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The one Kafka configuration of a service, for the clients the SmallRye connector does not build (the publisher,
 * dead letters, topic set-up, readiness, job workers): every {@code kafka.*} property Quarkus gives the connector's
 * channels ({@code kafka.bootstrap.servers}, {@code kafka.security.protocol}, {@code kafka.sasl.*},
 * {@code kafka.ssl.*}, ...), so security set once reaches every client. Each client gets only the keys its type
 * knows, then its own settings on top.
 */
@ApplicationScoped
public class KafkaClients {

    private final Map<String, Object> common;

    public KafkaClients(@Identifier("default-kafka-broker") Map<String, Object> common) {
        this.common = Map.copyOf(common);
    }

    /** Settings for a client built by hand in a test or tool (no Quarkus): these only. */
    public static KafkaClients of(Map<String, Object> settings) {
        return new KafkaClients(settings);
    }

    public String bootstrapServers() {
        return String.valueOf(common.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
    }

    public Properties producer(String clientId) {
        Properties p = known(ProducerConfig.configNames());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        return p;
    }

    /** A consumer with {@code groupId} (null: none, for assigned partitions), auto-commit off. */
    public Properties consumer(String clientId, String groupId) {
        Properties p = known(ConsumerConfig.configNames());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        if (groupId != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        } else {
            p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        }
        return p;
    }

    public Properties admin(String clientId) {
        Properties p = known(AdminClientConfig.configNames());
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        return p;
    }

    private Properties known(Set<String> names) {
        Properties p = new Properties();
        common.forEach((k, v) -> {
            if (names.contains(k) && v != null) {
                p.put(k, v);
            }
        });
        return p;
    }
}
