package dev.emotion.cli;

import dev.emotion.core.contract.ServiceRights;
import dev.emotion.core.contract.Topic;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Sets up an authorised broker as its administrator: a SCRAM-SHA-512 user per service, every topic with its
 * settings (services may not create topics there), and the ACLs of {@link ServiceRights}. Idempotent: run by
 * {@code ./emotion kafka start --secure} at every start (a changed password or right takes effect).
 */
final class KafkaSecureSetup {

    static final String HELP = """
            Usage: ./emotion kafka start --secure   (runs: kafka-secure-setup --bootstrap HOST:PORT --credentials FILE)

            Sets up an authorised broker as its administrator (the broker's super user): one SCRAM-SHA-512 user per
            service (emotion-ingest, emotion-training, emotion-evaluation, emotion-inference), every topic and
            dead-letter topic with its settings, and each service's ACLs (the topics it writes, the topics it reads,
            its consumer groups by prefix, the dead-letter topics of what it reads). Idempotent.

              --bootstrap HOST:PORT  the broker's SASL_PLAINTEXT listener
              --credentials FILE     KEY=value lines: EMOTION_KAFKA_ADMIN_PASSWORD and EMOTION_KAFKA_<SERVICE>_PASSWORD
                                     for INGEST, TRAINING, EVALUATION, INFERENCE (./emotion kafka start --secure
                                     writes it with random passwords unless the variables are set; mode 600)
            """;

    static final String ADMIN = "admin";
    static final int SCRAM_ITERATIONS = 8192;

    private KafkaSecureSetup() {
    }

    static int run(List<String> argv) throws Exception {
        Args a = new Args("kafka-secure-setup", argv, Set.of("bootstrap", "credentials"), Set.of());
        String bootstrap = a.required("bootstrap");
        Properties credentials = credentials(Path.of(a.required("credentials")));
        try (Admin admin = Admin.create(client(bootstrap, ADMIN, password(credentials, "ADMIN")))) {
            List<UserScramCredentialAlteration> users = new ArrayList<>();
            for (ServiceRights s : ServiceRights.values()) {
                users.add(new UserScramCredentialUpsertion(s.principal(), new ScramCredentialInfo(
                        ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS), password(credentials, s.name())));
            }
            admin.alterUserScramCredentials(users).all().get(30, TimeUnit.SECONDS);
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (Topic.Spec t : Topic.specs()) {
                if (!existing.contains(t.name())) {
                    missing.add(new NewTopic(t.name(), t.partitions(), (short) 1).configs(t.configs()));
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
            }
            List<AclBinding> acls = acls();
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
            System.out.printf("kafka: %d service users (SCRAM-SHA-512), %d topics created (%d there already), %d ACLs%n",
                    users.size(), missing.size(), existing.size(), acls.size());
        }
        return 0;
    }

    /** The ACLs of every service, as {@link ServiceRights} states them (allow only; nothing else is allowed). */
    static List<AclBinding> acls() {
        List<AclBinding> acls = new ArrayList<>();
        for (ServiceRights s : ServiceRights.values()) {
            String user = "User:" + s.principal();
            for (Topic t : s.writes()) {
                acls.add(allow(ResourceType.TOPIC, t.topicName(), PatternType.LITERAL, user, AclOperation.WRITE));
            }
            for (Topic t : s.reads()) {
                acls.add(allow(ResourceType.TOPIC, t.topicName(), PatternType.LITERAL, user, AclOperation.READ));
            }
            for (String dlq : s.deadLetterTopics()) {
                acls.add(allow(ResourceType.TOPIC, dlq, PatternType.LITERAL, user, AclOperation.READ));
                acls.add(allow(ResourceType.TOPIC, dlq, PatternType.LITERAL, user, AclOperation.WRITE));
            }
            acls.add(allow(ResourceType.GROUP, s.groupPrefix(), PatternType.PREFIXED, user, AclOperation.READ));
        }
        return acls;
    }

    private static AclBinding allow(ResourceType type, String name, PatternType pattern, String principal,
                                    AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }

    /** Admin (or any) client settings for a SCRAM-SHA-512 user on the SASL_PLAINTEXT listener. */
    static Properties client(String bootstrap, String user, String password) {
        Properties p = new Properties();
        p.putAll(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", ServiceRights.scramLogin(user, password),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
        return p;
    }

    static Properties credentials(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new UsageException("kafka-secure-setup: no credentials file " + file
                    + " (./emotion kafka start --secure writes it)");
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        return p;
    }

    static String password(Properties credentials, String who) {
        String key = "EMOTION_KAFKA_" + who + "_PASSWORD";
        String v = credentials.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new UsageException("kafka-secure-setup: " + key + " is missing from the credentials file");
        }
        return v.strip();
    }
}
