package dev.emotion.kit;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * When {@code emotion.api-key} is set, every mutating request under /api/ must carry it in {@code X-API-Key}, except
 * under the path prefixes of {@code emotion.api-key-open-paths} (inference's scoring endpoints: POSTs that change
 * nothing).
 */
public class ApiKeyFilter {

    public static final String HEADER = "X-API-Key";
    private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");

    @ConfigProperty(name = "emotion.api-key")
    Optional<String> apiKey;

    @ConfigProperty(name = "emotion.api-key-open-paths")
    Optional<java.util.List<String>> openPaths;

    @ServerRequestFilter
    public Optional<Response> check(ContainerRequestContext request) {
        String key = apiKey.filter(k -> !k.isBlank()).orElse(null);
        if (key == null || !MUTATING.contains(request.getMethod())
                || !request.getUriInfo().getPath().startsWith("/api/")
                || openPaths.orElse(java.util.List.of()).stream().anyMatch(p -> !p.isBlank()
                && request.getUriInfo().getPath().startsWith(p))) {
            return Optional.empty();
        }
        String given = request.getHeaderString(HEADER);
        if (given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                key.getBytes(StandardCharsets.UTF_8))) {
            return Optional.empty();
        }
        return Optional.of(Response.status(Response.Status.UNAUTHORIZED).type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(given == null ? "missing API key" : "wrong API key",
                        "send the key configured in EMOTION_API_KEY in the " + HEADER + " header"))
                .build());
    }
}
