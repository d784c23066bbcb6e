package dev.emotion.kit;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Locale;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Request body caps that say what the cap is. A JSON body may hold at most {@code emotion.limits.json} (1 MiB:
 * requests and records are small); any other body (uploaded videos and label files, images, video streams) at most
 * the service's {@code quarkus.http.limits.max-body-size}. A body announced larger (Content-Length) is refused
 * before it is read, and one that grows past the service's cap while streaming in (chunked) is cut off by Quarkus;
 * both answer 413 with {@code {"error": "request body too large", "detail": "... limit of N bytes ..."}}.
 * Written on Vert.x's router because Quarkus's own 413 has no body and comes before any JAX-RS filter.
 */
@ApplicationScoped
public class BodyLimits {

    private final long jsonBytes;
    private final long maxBytes;

    public BodyLimits(@ConfigProperty(name = "emotion.limits.json", defaultValue = "1M") MemorySize json,
                      @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10M")
                      MemorySize max) {
        this.jsonBytes = json.asLongValue();
        this.maxBytes = max.asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            String declared = ctx.request().getHeader("Content-Length");
            long length;
            try {
                length = declared == null ? -1 : Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                length = -1; // Vert.x itself refuses a malformed length
            }
            String why = tooLarge(ctx.request().getHeader("Content-Type"), length);
            if (why != null) {
                refuse(ctx, why);
                return;
            }
            ctx.next();
        });
        router.route().order(Integer.MIN_VALUE).failureHandler(ctx -> {
            if (ctx.statusCode() == 413 && !ctx.response().headWritten()) {
                refuse(ctx, "the request body grew past this service's limit of " + maxBytes + " bytes");
                return;
            }
            ctx.next();
        });
    }

    /** Why a body of this type and announced length is refused, or null when it may come in. */
    String tooLarge(String contentType, long length) {
        if (length < 0) {
            return null;
        }
        boolean json = contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/json");
        long cap = json ? jsonBytes : maxBytes;
        if (length <= cap) {
            return null;
        }
        return "the " + (json ? "JSON " : "") + "request body has " + length + " bytes, over the limit of " + cap
                + " bytes" + (json ? " for JSON (emotion.limits.json): send files as uploads, not inside JSON"
                : " of this service (quarkus.http.limits.max-body-size)");
    }

    private static void refuse(io.vertx.ext.web.RoutingContext ctx, String detail) {
        String body;
        try {
            body = dev.emotion.core.contract.Contracts.mapper().writeValueAsString(new ApiError(
                    "request body too large", detail));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            body = "{\"error\":\"request body too large\"}";
        }
        ctx.response().setStatusCode(413).putHeader("Content-Type", "application/json").putHeader("Connection",
                "close").end(body);
    }
}
