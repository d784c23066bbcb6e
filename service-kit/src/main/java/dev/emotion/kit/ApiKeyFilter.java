package dev.emotion.kit;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * API keys, one per role, in {@code X-API-Key}. Under /api/, a POST needs a {@link Role#SUBMIT} key (ingest, train,
 * cross-validate, evaluate), a PUT, PATCH or DELETE an {@link Role#ADMIN} key (switch the served model, cancel), and
 * a POST under {@code emotion.api-key-open-paths} (inference's scoring endpoints) a {@link Role#SCORE} key, but only
 * when {@code emotion.api-score-requires-key} is true; reads need none. A key of a higher role also opens what a
 * lower one does. Keys: {@code emotion.api-keys.admin|submit|score} ({@code EMOTION_API_KEYS_ADMIN}, ...); the
 * single {@code emotion.api-key} ({@code EMOTION_API_KEY}) is an admin key. With no key configured, nothing is
 * checked. Keys are compared in constant time, and every configured key is compared, so the answer's timing does not
 * tell which role a guess came close to.
 */
public class ApiKeyFilter {

    public static final String HEADER = "X-API-Key";

    /** What a key may do, in increasing order: each role includes the ones before it. */
    public enum Role {
        SCORE, SUBMIT, ADMIN;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The outcome for one request: null when it may go on, else the answer to send. */
    record Refusal(int status, String error, String detail) {
    }

    @ConfigProperty(name = "emotion.api-key")
    Optional<String> apiKey;

    @ConfigProperty(name = "emotion.api-keys.admin")
    Optional<String> adminKey;

    @ConfigProperty(name = "emotion.api-keys.submit")
    Optional<String> submitKey;

    @ConfigProperty(name = "emotion.api-keys.score")
    Optional<String> scoreKey;

    @ConfigProperty(name = "emotion.api-score-requires-key", defaultValue = "false")
    boolean scoreRequiresKey;

    @ConfigProperty(name = "emotion.api-key-open-paths")
    Optional<List<String>> openPaths;

    @ServerRequestFilter
    public Optional<Response> check(ContainerRequestContext request) {
        Map<Role, List<byte[]>> keys = keys(apiKey, adminKey, submitKey, scoreKey);
        Refusal r = decide(request.getMethod(), request.getUriInfo().getPath(), request.getHeaderString(HEADER), keys,
                openPaths.orElse(List.of()), scoreRequiresKey);
        return r == null ? Optional.empty() : Optional.of(Response.status(r.status())
                .type(MediaType.APPLICATION_JSON).entity(new ApiError(r.error(), r.detail())).build());
    }

    static Map<Role, List<byte[]>> keys(Optional<String> legacy, Optional<String> admin, Optional<String> submit,
                                        Optional<String> score) {
        Map<Role, List<byte[]>> keys = new EnumMap<>(Role.class);
        add(keys, Role.ADMIN, legacy);
        add(keys, Role.ADMIN, admin);
        add(keys, Role.SUBMIT, submit);
        add(keys, Role.SCORE, score);
        return keys;
    }

    private static void add(Map<Role, List<byte[]>> keys, Role role, Optional<String> key) {
        key.filter(k -> !k.isBlank()).ifPresent(k -> keys.computeIfAbsent(role, r -> new java.util.ArrayList<>())
                .add(k.getBytes(StandardCharsets.UTF_8)));
    }

    /** The role a request needs, or null when it needs none. */
    static Role required(String method, String path, List<String> scorePaths, boolean scoreRequiresKey) {
        if (!path.startsWith("/api/")) {
            return null;
        }
        switch (method) {
            case "PUT", "PATCH", "DELETE" -> {
                return Role.ADMIN;
            }
            case "POST" -> {
                boolean scoring = scorePaths.stream().anyMatch(p -> !p.isBlank() && path.startsWith(p));
                return scoring ? (scoreRequiresKey ? Role.SCORE : null) : Role.SUBMIT;
            }
            default -> {
                return null;
            }
        }
    }

    static Refusal decide(String method, String path, String given, Map<Role, List<byte[]>> keys,
                          List<String> scorePaths, boolean scoreRequiresKey) {
        if (keys.isEmpty()) {
            return null;
        }
        Role needed = required(method, path, scorePaths, scoreRequiresKey);
        if (needed == null) {
            return null;
        }
        if (given == null || given.isEmpty()) {
            return new Refusal(401, "missing API key", "send a key with the " + needed.label() + " role (or higher) "
                    + "in the " + HEADER + " header (EMOTION_API_KEY or EMOTION_API_KEYS_" + needed.name() + ")");
        }
        byte[] g = given.getBytes(StandardCharsets.UTF_8);
        Role granted = null;
        for (Role role : Role.values()) { // every key compared, whatever matched before
            for (byte[] key : keys.getOrDefault(role, List.of())) {
                if (MessageDigest.isEqual(g, key)) {
                    granted = role;
                }
            }
        }
        if (granted == null) {
            return new Refusal(401, "wrong API key", "send the key configured in EMOTION_API_KEY (or the "
                    + needed.label() + " role's EMOTION_API_KEYS_" + needed.name() + ") in the " + HEADER
                    + " header");
        }
        if (granted.compareTo(needed) < 0) {
            return new Refusal(403, "not allowed with this key", "this key has the " + granted.label() + " role; "
                    + method + " " + path + " needs the " + needed.label() + " role");
        }
        return null;
    }
}
