package dev.emotion.core.contract;

import java.time.Instant;

/**
 * A record a service could not accept, on {@code <topic>.dlq}: where it came from, why it was refused, and the
 * payload as received (truncated past {@link #MAX_PAYLOAD_CHARS}), so that it can be fixed and re-published.
 */
public record DeadLetter(Integer version, String sourceTopic, Integer partition, Long offset, String key,
                         String service, String reason, String payload, Boolean payloadTruncated, Instant failedAt)
        implements Contract {

    public static final int MAX_PAYLOAD_CHARS = 256 * 1024;

    public static DeadLetter of(String sourceTopic, int partition, long offset, String key, String service,
                                String reason, String payload) {
        String p = payload == null ? "" : payload;
        boolean truncated = p.length() > MAX_PAYLOAD_CHARS;
        return new DeadLetter(CURRENT_VERSION, sourceTopic, partition, offset, key, service,
                reason == null || reason.isBlank() ? "unknown reason" : reason,
                truncated ? p.substring(0, MAX_PAYLOAD_CHARS) : p, truncated, Instant.now());
    }

    @Override
    public void validate(Violations v) {
        Contract.checkVersion(v, version);
        v.notBlank("sourceTopic", sourceTopic);
        v.nonNegative("partition", partition);
        v.nonNegative("offset", offset);
        v.notBlank("service", service);
        v.notBlank("reason", reason);
        v.required("payload", payload);
        v.required("payloadTruncated", payloadTruncated);
        v.required("failedAt", failedAt);
    }
}
