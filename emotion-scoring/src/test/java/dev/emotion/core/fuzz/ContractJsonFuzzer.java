package dev.emotion.core.fuzz;

import dev.emotion.core.contract.ContractException;
import dev.emotion.core.contract.Contracts;
import dev.emotion.core.contract.Topic;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Records as they arrive from Kafka or HTTP: the first byte picks the record type (one per topic), the rest is the
 * JSON. Parsed and validated, or refused with a {@link ContractException} naming the type and the field.
 */
public final class ContractJsonFuzzer {

    private ContractJsonFuzzer() {
    }

    public static void fuzzerTestOneInput(byte[] data) {
        if (data.length == 0) {
            return;
        }
        Topic topic = Topic.values()[(data[0] & 0xff) % Topic.values().length];
        String json = new String(Arrays.copyOfRange(data, 1, data.length), StandardCharsets.UTF_8);
        try {
            Contracts.parse(json, topic.recordType());
        } catch (ContractException e) {
            if (!e.getMessage().contains(topic.recordType().getSimpleName())) {
                throw new AssertionError("the refusal does not name the record type: " + e.getMessage(), e);
            }
        }
    }
}
