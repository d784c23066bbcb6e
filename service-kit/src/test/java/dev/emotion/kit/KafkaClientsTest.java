package dev.emotion.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Security set once in the Quarkus Kafka configuration reaches every hand-built client. */
class KafkaClientsTest {

    @Test
    void securitySettingsReachProducersConsumersAndAdmins() {
        KafkaClients k = KafkaClients.of(Map.of("bootstrap.servers", "broker:9093", "security.protocol",
                "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512", "sasl.jaas.config", "x required;",
                "ssl.truststore.location", "/etc/kafka/truststore.jks", "group.id", "connector-group",
                "value.deserializer", "ignored-by-producers", "not.a.kafka.setting", "dropped"));
        for (Properties p : new Properties[] {k.producer("p"), k.consumer("c", "workers"), k.admin("a")}) {
            assertEquals("broker:9093", p.get("bootstrap.servers"));
            assertEquals("SASL_SSL", p.get("security.protocol"));
            assertEquals("SCRAM-SHA-512", p.get("sasl.mechanism"));
            assertEquals("x required;", p.get("sasl.jaas.config"));
            assertEquals("/etc/kafka/truststore.jks", p.get("ssl.truststore.location"));
            assertFalse(p.containsKey("not.a.kafka.setting"));
        }
        assertFalse(k.producer("p").containsKey("value.deserializer"), "only the keys a producer knows");
        assertEquals("workers", k.consumer("c", "workers").get("group.id"), "the client's own group wins");
        assertFalse(k.consumer("c", null).containsKey("group.id"), "an assigned consumer has no group");
        assertEquals("false", k.consumer("c", "g").get("enable.auto.commit"));
        assertEquals("p", k.producer("p").get("client.id"));
    }
}
