package dev.emotion.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.emotion.core.contract.ServiceRights;
import dev.emotion.core.contract.Topic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The Strimzi overlay's users, ACLs and topics are {@link ServiceRights} and {@link Topic}, as the local secure
 * broker's set-up applies them: the committed files must equal what this test generates from them (a right or topic
 * changed in the code and not in the overlay fails here). {@code EMOTION_REGENERATE=1} rewrites the files.
 */
class StrimziRightsTest {

    static final Path OVERLAY = Path.of("..", "deploy", "k8s", "overlays", "strimzi");
    static final String HEADER = "# Generated from ServiceRights and Topic by StrimziRightsTest (EMOTION_REGENERATE=1 "
            + "rewrites it); do not edit.\n";

    /** One KafkaUser per service (SCRAM-SHA-512, simple authorization) and one KafkaTopic per topic and dead letter. */
    static String usersAndTopics() {
        StringBuilder y = new StringBuilder(HEADER);
        for (ServiceRights s : ServiceRights.values()) {
            y.append("---\napiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaUser\nmetadata:\n  name: ")
                    .append(s.principal()).append("\n  namespace: emotion\n  labels:\n")
                    .append("    strimzi.io/cluster: emotion-kafka\nspec:\n  authentication:\n")
                    .append("    type: scram-sha-512\n  authorization:\n    type: simple\n    acls:\n");
            Map<String, String> topics = new TreeMap<>();
            s.writes().forEach(t -> topics.merge(t.topicName(), "Write", (a, b) -> a + ", " + b));
            s.reads().forEach(t -> topics.merge(t.topicName(), "Read", (a, b) -> a + ", " + b));
            s.deadLetterTopics().forEach(t -> topics.put(t, "Read, Write"));
            topics.forEach((topic, ops) -> acl(y, "topic", topic, "literal", ops));
            acl(y, "group", s.groupPrefix(), "prefix", "Read");
        }
        for (Topic.Spec t : Topic.specs()) {
            y.append("---\napiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaTopic\nmetadata:\n  name: ").append(t.name())
                    .append("\n  namespace: emotion\n  labels:\n    strimzi.io/cluster: emotion-kafka\nspec:\n")
                    .append("  partitions: ").append(t.partitions()).append("\n  replicas: 1\n  config:\n");
            new TreeMap<>(t.configs()).forEach((k, c) -> y.append("    ").append(k).append(": \"").append(c)
                    .append("\"\n"));
        }
        return y.toString();
    }

    static void acl(StringBuilder y, String type, String name, String pattern, String operations) {
        y.append("      - resource:\n          type: ").append(type).append("\n          name: ").append(name)
                .append("\n          patternType: ").append(pattern).append("\n        operations: [")
                .append(operations).append("]\n");
    }

    /** The patch that makes a service's Deployment connect as its user (the secret the User Operator writes). */
    static String saslPatch(ServiceRights s) {
        String deployment = s.service() + "-service";
        return HEADER + "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + deployment + "\nspec:\n"
                + "  template:\n    spec:\n      containers:\n        - name: " + deployment + "\n          env:\n"
                + "            - name: KAFKA_SECURITY_PROTOCOL\n              value: SASL_PLAINTEXT\n"
                + "            - name: KAFKA_SASL_MECHANISM\n              value: SCRAM-SHA-512\n"
                + "            - name: KAFKA_SASL_JAAS_CONFIG\n              valueFrom:\n                secretKeyRef:\n"
                + "                  name: " + s.principal() + "\n                  key: sasl.jaas.config\n";
    }

    static void check(Path file, String expected) throws Exception {
        if ("1".equals(System.getenv("EMOTION_REGENERATE"))) {
            Files.writeString(file, expected);
        }
        assertEquals(expected, Files.exists(file) ? Files.readString(file) : "(missing)", file
                + " differs from ServiceRights/Topic: run this test with EMOTION_REGENERATE=1 and commit the files");
    }

    @Test
    void theOverlaysUsersAclsAndTopicsAreTheCodes() throws Exception {
        check(OVERLAY.resolve("users-and-topics.yaml"), usersAndTopics());
        for (ServiceRights s : ServiceRights.values()) {
            check(OVERLAY.resolve("sasl-" + s.service() + ".yaml"), saslPatch(s));
        }
    }
}
