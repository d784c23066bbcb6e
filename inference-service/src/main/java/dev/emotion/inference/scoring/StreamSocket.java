package dev.emotion.inference.scoring;

import dev.emotion.core.contract.Contracts;
import dev.emotion.core.inference.FaceTracks;
import dev.emotion.core.inference.ImageInput;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * {@code ws://.../api/v1/stream}: a client sends frames as binary messages (an 8-byte big-endian sequence number,
 * then the JPEG or PNG bytes) and receives one JSON text message per frame, in sequence order: the prediction, or
 * what happened to the frame. Each connection has a bounded queue in front of the model; when the client outruns
 * the model, {@code ?policy=drop-oldest} (default) drops the oldest waiting frame and {@code policy=reject} refuses
 * the new one, either way answered with {@code "dropped": true} and the reason, and counted in
 * {@code emotion.inference.stream.frames{outcome}}. {@code ?queue=N} sets the queue length (default 4, 1..64).
 * A sequence number not above the last one received is refused as out of order; a bad image gets an error; the
 * connection stays open in both cases.
 *
 * <p>Bounded: at most {@code emotion.inference.stream.max-connections} connections (default 64; one more is
 * answered with an error and closed with code 1013, try again later), scored by a fixed pool of
 * {@code emotion.inference.stream.workers} threads (default 4) however many connect, and at most
 * {@link #MAX_PENDING_REPLIES} answers waiting per connection beyond its queue (a client that keeps sending while
 * not reading its answers is closed with code 1008).
 */
@WebSocket(path = "/api/v1/stream")
public class StreamSocket {

    private static final Logger LOG = Logger.getLogger(StreamSocket.class);

    /** One connection's state: its queue, order check and face tracker. */
    static final class Session {
        final WebSocketConnection connection;
        final boolean dropOldest;
        final int capacity;
        final java.util.LinkedList<Item> queue = new java.util.LinkedList<>();
        int frames;
        final FaceTracks tracker = new FaceTracks();
        long lastSeq = Long.MIN_VALUE;
        boolean draining;

        Session(WebSocketConnection connection, boolean dropOldest, int capacity) {
            this.connection = connection;
            this.dropOldest = dropOldest;
            this.capacity = capacity;
        }
    }

    /** A frame to score, or (image null) a reply about a frame that keeps its place in the order. */
    record Item(long seq, byte[] image, Map<String, Object> reply, long receivedNanos) {
    }

    /** Answers (drops, rejections) that may wait per connection beyond its frame queue. */
    static final int MAX_PENDING_REPLIES = 256;

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, io.micrometer.core.instrument.Counter> outcomes = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger();
    private volatile ExecutorService workers;

    @Inject
    Scoring scoring;

    @Inject
    MeterRegistry metrics;

    @ConfigProperty(name = "emotion.inference.stream.default-queue", defaultValue = "4")
    int defaultQueue;

    @ConfigProperty(name = "emotion.inference.stream.max-connections", defaultValue = "64")
    int maxConnections;

    @ConfigProperty(name = "emotion.inference.stream.workers", defaultValue = "4")
    int workerThreads;

    /** The scoring pool, made on first use with the configured size (each connection drains on one of them). */
    private ExecutorService workers() {
        ExecutorService w = workers;
        if (w == null) {
            synchronized (this) {
                if (workers == null) {
                    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
                    workers = Executors.newFixedThreadPool(Math.max(1, workerThreads), r -> {
                        Thread t = new Thread(r, "stream-scoring-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
                }
                w = workers;
            }
        }
        return w;
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        if (workers != null) {
            workers.shutdownNow();
        }
    }

    @OnOpen
    public void open(WebSocketConnection connection) {
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            count("too_many_connections");
            connection.sendTextAndAwait(json(Map.of("error", "this service takes at most " + maxConnections
                    + " stream connections at once (emotion.inference.stream.max-connections); try again later")));
            connection.closeAndAwait(new io.quarkus.websockets.next.CloseReason(1013, "too many connections"));
            return;
        }
        Map<String, String> q = query(connection.handshakeRequest().query());
        String policy = q.getOrDefault("policy", "drop-oldest");
        int capacity;
        try {
            capacity = Integer.parseInt(q.getOrDefault("queue", String.valueOf(defaultQueue)));
        } catch (NumberFormatException e) {
            capacity = -1;
        }
        if (!policy.equals("drop-oldest") && !policy.equals("reject") || capacity < 1 || capacity > 64) {
            String error = "policy must be drop-oldest or reject and queue 1..64; got policy=" + policy + ", queue="
                    + q.get("queue");
            count("bad_parameters");
            open.decrementAndGet();
            connection.sendTextAndAwait(json(Map.of("error", error)));
            connection.closeAndAwait(new io.quarkus.websockets.next.CloseReason(1008, "bad parameters"));
            return;
        }
        sessions.put(connection.id(), new Session(connection, policy.equals("drop-oldest"), capacity));
        Map<String, Object> hello = new LinkedHashMap<>();
        hello.put("stream", connection.id());
        hello.put("policy", policy);
        hello.put("queue", capacity);
        hello.put("format", "binary messages: 8-byte big-endian sequence number + JPEG/PNG bytes");
        connection.sendTextAndAwait(json(hello));
    }

    @OnBinaryMessage
    public void frame(WebSocketConnection connection, byte[] message) {
        Session s = sessions.get(connection.id());
        if (s == null) {
            return;
        }
        long now = System.nanoTime();
        if (message.length < 9) {
            count("bad_message");
            send(s, Map.of("error", "a frame is an 8-byte big-endian sequence number followed by the image bytes;"
                    + " got " + message.length + " bytes"));
            return;
        }
        long seq = ByteBuffer.wrap(message, 0, 8).getLong();
        byte[] image = java.util.Arrays.copyOfRange(message, 8, message.length);
        Map<String, Object> outOfOrder = null;
        boolean flooding = false;
        synchronized (s) {
            if (s.queue.size() >= s.capacity + MAX_PENDING_REPLIES) {
                flooding = true;
            } else if (seq <= s.lastSeq) {
                count("out_of_order");
                outOfOrder = Map.of("seq", seq, "error", "out of order: frame " + seq + " after frame " + s.lastSeq
                        + "; sequence numbers must increase");
            } else {
                s.lastSeq = seq;
                Item item = new Item(seq, image, null, now);
                if (s.frames >= s.capacity) {
                    if (s.dropOldest) {
                        for (var it = s.queue.listIterator(); it.hasNext(); ) {
                            Item old = it.next();
                            if (old.image() != null) { // the oldest waiting frame gives up its place to its reply
                                it.set(new Item(old.seq(), null, dropped(old.seq(), "drop-oldest"), old.receivedNanos()));
                                s.frames--;
                                break;
                            }
                        }
                        count("dropped");
                    } else {
                        count("rejected");
                        item = new Item(seq, null, dropped(seq, "reject"), now);
                    }
                }
                s.queue.addLast(item);
                if (item.image() != null) {
                    s.frames++;
                }
                if (!s.draining) {
                    s.draining = true;
                    workers().submit(() -> drain(s));
                }
            }
        }
        if (flooding) {
            count("flooding");
            connection.closeAndAwait(new io.quarkus.websockets.next.CloseReason(1008, "more than "
                    + MAX_PENDING_REPLIES + " answers waiting: read the answers before sending more frames"));
            return;
        }
        if (outOfOrder != null) {
            send(s, outOfOrder); // not part of the sequence: answered at once
        }
    }

    private static Map<String, Object> dropped(long seq, String policy) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", seq);
        m.put("dropped", true);
        m.put("reason", "the client sends faster than the model scores (queue full, policy " + policy + ")");
        return m;
    }

    /** Scores the connection's queue in order until it is empty; one drain per connection at a time. */
    private void drain(Session s) {
        while (true) {
            Item f;
            synchronized (s) {
                f = s.queue.pollFirst();
                if (f == null) {
                    s.draining = false;
                    return;
                }
                if (f.image() != null) {
                    s.frames--;
                }
            }
            if (f.image() == null) {
                send(s, f.reply());
                continue;
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("seq", f.seq());
            try {
                Scoring.Result r = scoring.scoreImage(f.image(), s.tracker);
                out.put("modelId", r.modelId());
                out.put("width", r.width());
                out.put("height", r.height());
                out.put("latencyMs", r.latencyMs());
                out.put("queuedMs", (System.nanoTime() - f.receivedNanos()) / 1e6 - r.latencyMs());
                out.put("faces", r.faces());
                count("scored");
            } catch (ImageInput.BadImage e) {
                count("bad_image");
                out.put("error", e.getMessage());
            } catch (Scoring.NoModel e) {
                count("no_model");
                out.put("error", e.getMessage());
            } catch (RuntimeException e) {
                LOG.errorf(e, "stream %s: frame %d failed", s.connection.id(), f.seq());
                count("failed");
                out.put("error", "scoring failed: " + e.getMessage());
            }
            send(s, out);
        }
    }

    private void send(Session s, Map<String, ?> message) {
        if (s.connection.isOpen()) {
            s.connection.sendTextAndAwait(json(message));
        }
    }

    @OnClose
    public void close(WebSocketConnection connection) {
        Session s = sessions.remove(connection.id());
        if (s != null) {
            open.decrementAndGet();
            synchronized (s) {
                s.queue.clear();
            }
        }
    }

    private void count(String outcome) { // once per frame: the meters are looked up once per outcome
        outcomes.computeIfAbsent(outcome, o -> metrics.counter("emotion.inference.stream.frames", "outcome", o))
                .increment();
    }

    private static String json(Map<String, ?> m) {
        try {
            return Contracts.mapper().writeValueAsString(m);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isBlank()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq),
                    java.nio.charset.StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1),
                    java.nio.charset.StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }
}
