package dev.emotion.kit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the broker answers a cluster description; names the bootstrap address either way. */
@Readiness
@ApplicationScoped
public class KafkaReadiness implements HealthCheck {

    private final KafkaClients kafka;
    private final String bootstrap;
    private volatile Admin admin;

    public KafkaReadiness(KafkaClients kafka) {
        this.kafka = kafka;
        this.bootstrap = kafka.bootstrapServers();
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("kafka-broker").withData("bootstrap.servers", bootstrap);
        try {
            DescribeClusterResult cluster = admin().describeCluster(new DescribeClusterOptions().timeoutMs(3000));
            int nodes = cluster.nodes().get(3, TimeUnit.SECONDS).size();
            return response.up().withData("clusterId", cluster.clusterId().get(3, TimeUnit.SECONDS))
                    .withData("nodes", nodes).build();
        } catch (Exception e) {
            Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null
                    ? e.getCause() : e;
            String error = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            return response.down().withData("error", error + " (is the broker running? ./emotion kafka status)")
                    .build();
        }
    }

    private Admin admin() {
        if (admin == null) {
            synchronized (this) {
                if (admin == null) {
                    Properties p = kafka.admin("readiness"); // by hand: the connector has no admin health probe
                    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
                    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
                    admin = Admin.create(p);
                }
            }
        }
        return admin;
    }

    @PreDestroy
    void close() {
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(2));
        }
    }
}
