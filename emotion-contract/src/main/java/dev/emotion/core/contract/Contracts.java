package dev.emotion.core.contract;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads and writes topic records as JSON. Reading validates: a caller gets a valid record or a
 * {@link ContractException} naming the fields at fault. Writing validates too, so nothing invalid is published.
 */
public final class Contracts {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            // Newer producers may add fields; the version field is what guards incompatible changes.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private Contracts() {
    }

    /** The project's one JSON mapper for contracts (thread-safe). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static <T extends Contract> T parse(String json, Class<T> type) {
        if (json == null || json.isBlank()) {
            throw new ContractException(type.getSimpleName(), List.of("record is empty (expected a JSON object)"));
        }
        T value;
        try {
            value = MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new ContractException(type.getSimpleName(), List.of(describe(e)));
        }
        if (value == null) {
            throw new ContractException(type.getSimpleName(), List.of("record is JSON null (expected an object)"));
        }
        requireValid(value);
        return value;
    }

    public static <T extends Contract> T parse(byte[] json, Class<T> type) {
        return parse(json == null ? null : new String(json, StandardCharsets.UTF_8), type);
    }

    /** Serialises a record after validating it. */
    public static String toJson(Contract record) {
        requireValid(record);
        try {
            return MAPPER.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + record.getClass().getSimpleName(), e);
        }
    }

    public static List<String> problems(Contract record) {
        Violations v = new Violations();
        record.validate(v);
        return v.problems();
    }

    public static void requireValid(Contract record) {
        List<String> problems = problems(record);
        if (!problems.isEmpty()) {
            throw new ContractException(record.getClass().getSimpleName(), problems);
        }
    }

    private static String describe(JsonProcessingException e) {
        if (e instanceof JsonParseException p) {
            var loc = p.getLocation();
            return "not valid JSON at line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ": "
                    + p.getOriginalMessage();
        }
        if (e instanceof JsonMappingException m) {
            String path = path(m.getPath());
            if (m instanceof InvalidFormatException f) {
                String allowed = f.getTargetType() != null && f.getTargetType().isEnum()
                        ? " (allowed: " + enumValues(f.getTargetType()) + ")" : "";
                return (path.isEmpty() ? "value" : path) + ": '" + f.getValue() + "' is not a valid "
                        + f.getTargetType().getSimpleName() + allowed;
            }
            return (path.isEmpty() ? "record" : path) + ": " + m.getOriginalMessage();
        }
        return e.getOriginalMessage();
    }

    private static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String enumValues(Class<?> type) {
        return java.util.Arrays.stream(type.getEnumConstants())
                .map(c -> {
                    try {
                        return MAPPER.writeValueAsString(c).replace("\"", "");
                    } catch (JsonProcessingException ex) {
                        return c.toString();
                    }
                })
                .collect(Collectors.joining(", "));
    }
}
