package dev.emotion.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Points a {@code @QuarkusTest} at the real broker that {@code ./emotion kafka start} runs (or the one named by
 * KAFKA_BOOTSTRAP_SERVERS), after checking that it answers; fails fast with what to do when it does not.
 */
public class RealKafkaBroker implements QuarkusTestResourceLifecycleManager {

    public static String bootstrapServers() {
        String env = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        return env == null || env.isBlank() ? "localhost:9092" : env;
    }

    @Override
    public Map<String, String> start() {
        String bootstrap = bootstrapServers();
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        try (Admin admin = Admin.create(p)) {
            admin.describeCluster().clusterId().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("No Kafka broker answers at " + bootstrap + " (" + e.getMessage()
                    + "). Start one with ./emotion kafka start, or run the tests with ./emotion test.", e);
        }
        return Map.of("kafka.bootstrap.servers", bootstrap);
    }

    @Override
    public void stop() {
        // The broker belongs to ./emotion; tests never stop it.
    }
}
