package dev.emotion.kit;

import dev.emotion.core.contract.Topic;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Creates every topic of {@link Topic} and its dead-letter topic at start-up, and makes sure the topics that hold
 * the dataset and registry keep their records forever (also when a consumer's auto-create got there first).
 * Idempotent, so every service runs it; a broker that is down only delays readiness, it does not stop start-up.
 */
@ApplicationScoped
public class TopicSetup {

    private static final Logger LOG = Logger.getLogger(TopicSetup.class);

    @jakarta.inject.Inject
    KafkaClients kafka;

    @ConfigProperty(name = "emotion.kafka.replication-factor", defaultValue = "1")
    short replicationFactor;

    void onStart(@Observes @Priority(1) StartupEvent event) {
        Properties p = kafka.admin("topic-setup"); // by hand: topic creation and retention need the admin API
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        try (Admin admin = Admin.create(p)) {
            ensureTopics(admin);
        } catch (Exception e) {
            LOG.warnf("could not set up topics on %s (%s); they will be auto-created with broker defaults",
                    kafka.bootstrapServers(), e.getMessage());
        }
    }

    void ensureTopics(Admin admin) throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
        Set<String> existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
        List<NewTopic> missing = new ArrayList<>();
        for (Topic.Spec t : Topic.specs()) {
            if (!existing.contains(t.name())) {
                missing.add(new NewTopic(t.name(), t.partitions(), replicationFactor).configs(t.configs()));
            }
        }
        List<String> refused = new ArrayList<>();
        if (!missing.isEmpty()) {
            admin.createTopics(missing).values().forEach((name, f) -> {
                try {
                    f.get(10, TimeUnit.SECONDS);
                    LOG.infof("created topic %s", name);
                } catch (Exception e) {
                    if (e.getCause() instanceof org.apache.kafka.common.errors.AuthorizationException) {
                        refused.add(name);
                    } else if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                        LOG.warnf("could not create topic %s: %s", name, e.getMessage());
                    }
                }
            });
        }
        Map<ConfigResource, Collection<AlterConfigOp>> keep = new HashMap<>();
        for (Topic t : Topic.values()) {
            if (t.keptForever() && !refused.contains(t.topicName())) {
                keep.put(new ConfigResource(ConfigResource.Type.TOPIC, t.topicName()), List.of(new AlterConfigOp(
                        new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG, "-1"), AlterConfigOp.OpType.SET)));
            }
        }
        try {
            admin.incrementalAlterConfigs(keep).all().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.AuthorizationException)) {
                throw e;
            }
            refused.add("retention of the kept topics");
        }
        if (!refused.isEmpty()) {
            // an authorised broker: a service has no right to create or configure topics; its administrator
            // (./emotion kafka start --secure, the Strimzi overlay) created them with these same settings
            LOG.infof("topic set-up left to the broker's administrator (this service's principal may not create or "
                    + "configure %d of them: %s)", refused.size(), refused.size() > 3
                    ? String.join(", ", refused.subList(0, 3)) + ", ..." : String.join(", ", refused));
        }
    }

}
