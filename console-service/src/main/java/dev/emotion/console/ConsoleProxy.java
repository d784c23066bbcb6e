package dev.emotion.console;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * One origin for the browser, as a Kubernetes Ingress would give: {@code /api/<service>/<path>} is forwarded to
 * {@code <service's URL>/<path>} (ingest, training, evaluation, inference), bodies streamed both ways (uploads,
 * NDJSON, server-sent events) and WebSocket upgrades passed through. A service that does not answer gets a 502 whose
 * JSON names it and its URL, so the console's panel for it can say so while the others keep working.
 */
@ApplicationScoped
public class ConsoleProxy {

    private static final Logger LOG = Logger.getLogger(ConsoleProxy.class);

    private final Map<String, URI> upstreams = new LinkedHashMap<>();

    ConsoleProxy(@ConfigProperty(name = "emotion.console.upstream.ingest") String ingest,
                 @ConfigProperty(name = "emotion.console.upstream.training") String training,
                 @ConfigProperty(name = "emotion.console.upstream.evaluation") String evaluation,
                 @ConfigProperty(name = "emotion.console.upstream.inference") String inference) {
        upstreams.put("ingest", uri("ingest", ingest));
        upstreams.put("training", uri("training", training));
        upstreams.put("evaluation", uri("evaluation", evaluation));
        upstreams.put("inference", uri("inference", inference));
    }

    private static URI uri(String service, String url) {
        URI u = URI.create(url.replaceAll("/+$", ""));
        if (!"http".equals(u.getScheme()) || u.getHost() == null) {
            throw new IllegalArgumentException("the " + service + " URL '" + url + "' is not http://HOST[:PORT]"
                    + " (set " + service.toUpperCase(java.util.Locale.ROOT) + "_URL)");
        }
        return u;
    }

    /**
     * A WebSocket (inference's {@code /api/v1/stream}) relayed frame by frame to the service's path without the
     * prefix. By hand because vertx-http-proxy 4.5 forwards an upgrade with the path as received (its interceptors,
     * which strip the prefix for plain requests, are not applied to upgrades).
     */
    static void relayWebSocket(HttpServerRequest request, HttpClient client, String service, URI target, int port,
                               String uri) {
        request.pause();
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(target.getHost()).setPort(port)
                .setURI(uri);
        String key = request.getHeader("X-API-Key");
        if (key != null) {
            options.addHeader("X-API-Key", key);
        }
        client.webSocket(options).onSuccess(upstream -> request.toWebSocket().onSuccess(browser -> {
            browser.frameHandler(upstream::writeFrame);
            upstream.frameHandler(browser::writeFrame);
            browser.closeHandler(v -> upstream.close());
            upstream.closeHandler(v -> {
                if (!browser.isClosed()) {
                    Short code = upstream.closeStatusCode();
                    browser.close(code == null ? (short) 1000 : code, upstream.closeReason());
                }
            });
            browser.exceptionHandler(e -> upstream.close());
            upstream.exceptionHandler(e -> browser.close((short) 1011, service + "-service: " + e.getMessage()));
        }).onFailure(e -> upstream.close())).onFailure(e -> {
            request.resume();
            request.response().setStatusCode(502).putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("error", service + "-service is not answering")
                            .put("detail", "WebSocket to " + target + uri + " failed: " + e.getMessage())
                            .put("service", service).encode());
        });
    }

    /** {@code /api/ingest/q/health} -> {@code /q/health}. */
    static String strip(String prefix, String uri) {
        String rest = uri.startsWith(prefix) ? uri.substring(prefix.length()) : uri;
        return rest.isEmpty() ? "/" : rest;
    }

    void start(@Observes StartupEvent ignored) {
        upstreams.forEach((s, u) -> LOG.infof("console: /api/%s/* -> %s", s, u));
    }

    void routes(@Observes Router router, Vertx vertx) {
        // no overall timeout: a video's NDJSON or an SSE stream lasts as long as the work behind it
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(64)
                .setMaxWebSockets(64).setConnectTimeout(5000));
        upstreams.forEach((service, target) -> {
            String prefix = "/api/" + service;
            int port = target.getPort() > 0 ? target.getPort() : 80;
            HttpProxy proxy = HttpProxy.reverseProxy(client).origin(port, target.getHost());
            proxy.addInterceptor(new ProxyInterceptor() {
                @Override
                public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
                    context.request().setURI(strip(prefix, context.request().getURI()));
                    return context.sendRequest().recover(e -> {
                        // the service is down or unreachable: say which, in the services' error shape
                        String body = new JsonObject().put("error", service + "-service is not answering")
                                .put("detail", "no answer from " + target + " (" + e.getMessage() + "); is it"
                                        + " running? ./emotion status").put("service", service).encode();
                        ProxyResponse r = context.request().response().setStatusCode(502)
                                .setStatusMessage("Bad Gateway").setBody(Body.body(Buffer.buffer(body)));
                        r.headers().clear();
                        r.putHeader("Content-Type", "application/json");
                        return Future.succeededFuture(r);
                    });
                }
            });
            router.route(prefix + "/*").order(-10).handler(rc -> {
                if ("websocket".equalsIgnoreCase(rc.request().getHeader("Upgrade"))) {
                    relayWebSocket(rc.request(), client, service, target, port, strip(prefix, rc.request().uri()));
                } else {
                    proxy.handle(rc.request());
                }
            });
            router.route(prefix).order(-10).handler(rc -> rc.redirect(prefix + "/"));
        });
        // where each service is, for the console's "service down" panels and the about box
        router.get("/api/console/upstreams").order(-10).handler(rc -> {
            JsonObject json = new JsonObject();
            upstreams.forEach((s, u) -> json.put(s, u.toString()));
            rc.response().putHeader("Content-Type", "application/json").end(json.encode());
        });
    }
}
