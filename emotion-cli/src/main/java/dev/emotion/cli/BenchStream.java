package dev.emotion.cli;

import dev.emotion.core.contract.Contract;
import dev.emotion.core.contract.Contracts;
import dev.emotion.core.contract.InferenceFrame;
import dev.emotion.core.contract.InferencePrediction;
import dev.emotion.core.contract.Topic;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code bench-stream}: a live camera's load on inference-service: frames at a fixed rate (open loop, 30 fps by
 * default) through the Kafka topics and through the WebSocket, latency from send to prediction per frame.
 */
final class BenchStream {

    static final String HELP = """
            Usage: ./emotion bench-stream --image FILE [--fps 30] [--seconds 20] [--transport kafka,websocket]
            Sends the image as a stream of frames at --fps (open loop: the sender never waits) for --seconds, and
            measures each frame's latency from sending to its prediction: through emotion.inference.frames ->
            emotion.inference.predictions (Kafka) and through ws://.../api/v1/stream (drop-oldest, queue 4).
            Options: --url http://localhost:8084 (inference-service), --bootstrap localhost:9092""";

    private BenchStream() {
    }

    /** What one run measured. */
    record Result(String transport, int sent, int answered, int dropped, int errors, double fps, List<Double> ms) {
    }

    static int run(List<String> argv) throws Exception {
        Args a = new Args("bench-stream", argv, Set.of("image", "fps", "seconds", "transport", "url", "bootstrap"),
                Set.of());
        byte[] image = Files.readAllBytes(Path.of(a.required("image")));
        int fps = a.integer("fps", 30);
        int seconds = a.integer("seconds", 20);
        String url = a.get("url", "http://localhost:" + System.getenv().getOrDefault("INFERENCE_PORT", "8084"))
                .replaceAll("/+$", "");
        String bootstrap = a.get("bootstrap", System.getenv().getOrDefault("KAFKA_BOOTSTRAP_SERVERS",
                "localhost:9092"));
        System.out.printf(Locale.ROOT, "%d fps for %d s, %d-byte frames%n", fps, seconds, image.length);
        System.out.printf(Locale.ROOT, "%-10s %6s %9s %8s %7s %8s %8s %8s %8s %8s%n", "transport", "sent",
                "answered", "dropped", "errors", "fps", "p50 ms", "p95 ms", "p99 ms", "max ms");
        for (String t : a.get("transport", "kafka,websocket").split(",")) {
            Result r = switch (t.trim()) {
                case "kafka" -> kafka(bootstrap, image, fps, seconds);
                case "websocket" -> websocket(url, image, fps, seconds);
                default -> throw new UsageException("bench-stream: unknown transport '" + t + "' (kafka, websocket)");
            };
            List<Double> s = new ArrayList<>(r.ms());
            Collections.sort(s);
            System.out.printf(Locale.ROOT, "%-10s %6d %9d %8d %7d %8.1f %8.1f %8.1f %8.1f %8.1f%n", r.transport(),
                    r.sent(), r.answered(), r.dropped(), r.errors(), r.fps(), pct(s, 0.5), pct(s, 0.95),
                    pct(s, 0.99), s.isEmpty() ? Double.NaN : s.get(s.size() - 1));
            BenchSummary.add("inference", r.transport() + " " + fps + " fps: frame -> prediction p99",
                    String.format(Locale.ROOT, "%.1f ms (p50 %.1f, %d/%d answered)", pct(s, 0.99), pct(s, 0.5),
                            r.answered(), r.sent()));
        }
        return 0;
    }

    static Result kafka(String bootstrap, byte[] image, int fps, int seconds) throws Exception {
        String stream = "bench-" + UUID.randomUUID();
        Properties pp = new Properties();
        pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        pp.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        pp.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
        Properties cp = new Properties();
        cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        cp.put(ConsumerConfig.GROUP_ID_CONFIG, stream);
        cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        cp.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<Long, Long> sentAt = new ConcurrentHashMap<>();
        List<Double> ms = Collections.synchronizedList(new ArrayList<>());
        AtomicLong errors = new AtomicLong();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(pp, new StringSerializer(),
                new StringSerializer());
             KafkaConsumer<String, String> consumer = new KafkaConsumer<>(cp, new StringDeserializer(),
                     new StringDeserializer())) {
            consumer.subscribe(List.of(Topic.INFERENCE_PREDICTIONS.topicName()));
            long until = System.nanoTime() + 30_000_000_000L;
            while (consumer.assignment().isEmpty() && System.nanoTime() < until) {
                consumer.poll(Duration.ofMillis(100));
            }
            consumer.seekToEnd(consumer.assignment());
            consumer.assignment().forEach(consumer::position);
            // warm-up frame: the first forward pass allocates
            send(producer, stream, 0, image);
            waitFor(consumer, stream, 0, Map.of(0L, System.nanoTime()), new ArrayList<>(), errors, 30_000);
            errors.set(0);
            int n = fps * seconds;
            Thread sender = new Thread(() -> {
                long start = System.nanoTime();
                for (int i = 1; i <= n; i++) {
                    pace(start, i, fps);
                    sentAt.put((long) i, System.nanoTime());
                    send(producer, stream, i, image);
                }
            });
            long t0 = System.nanoTime();
            sender.start();
            waitFor(consumer, stream, n, sentAt, ms, errors, seconds * 1000L + 30_000);
            sender.join();
            double wall = (System.nanoTime() - t0) / 1e9;
            return new Result("kafka", n, ms.size(), 0, (int) errors.get(), ms.size() / wall, ms);
        }
    }

    private static void send(KafkaProducer<String, String> producer, String stream, long seq, byte[] image) {
        producer.send(new ProducerRecord<>(Topic.INFERENCE_FRAMES.topicName(), stream, Contracts.toJson(
                new InferenceFrame(Contract.CURRENT_VERSION, stream, seq, seq * 33, image, Instant.now()))));
    }

    private static void waitFor(KafkaConsumer<String, String> consumer, String stream, long last,
                                Map<Long, Long> sentAt, List<Double> ms, AtomicLong errors, long timeoutMs) {
        long end = System.nanoTime() + timeoutMs * 1_000_000L;
        boolean done = false;
        while (!done && System.nanoTime() < end) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(20))) {
                if (!stream.equals(r.key())) {
                    continue;
                }
                long now = System.nanoTime();
                InferencePrediction p = Contracts.parse(r.value(), InferencePrediction.class);
                Long t = sentAt.get(p.sequence());
                if (p.error() != null) {
                    errors.incrementAndGet();
                } else if (t != null) {
                    ms.add((now - t) / 1e6);
                }
                done = p.sequence() >= last;
            }
        }
    }

    static Result websocket(String httpUrl, byte[] image, int fps, int seconds) throws Exception {
        String wsUrl = httpUrl.replaceFirst("^http", "ws") + "/api/v1/stream?policy=drop-oldest&queue=4";
        Map<Long, Long> sentAt = new ConcurrentHashMap<>();
        List<Double> ms = Collections.synchronizedList(new ArrayList<>());
        AtomicLong dropped = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong lastSeq = new AtomicLong(-1);
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    long now = System.nanoTime();
                    String m = partial.toString();
                    partial.setLength(0);
                    try {
                        Map<?, ?> v = Contracts.mapper().readValue(m, Map.class);
                        if (v.get("seq") instanceof Number seq) {
                            if (Boolean.TRUE.equals(v.get("dropped"))) {
                                dropped.incrementAndGet();
                            } else if (v.get("error") != null) {
                                errors.incrementAndGet();
                            } else if (seq.longValue() > 0) {
                                ms.add((now - sentAt.get(seq.longValue())) / 1e6);
                            }
                            lastSeq.set(seq.longValue());
                        }
                    } catch (java.io.IOException e) {
                        errors.incrementAndGet();
                    }
                }
                ws.request(1);
                return null;
            }
        };
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(wsUrl), listener)
                .get();
        sentAt.put(0L, System.nanoTime());
        ws.sendBinary(frame(0, image), true).join(); // warm-up
        long until = System.nanoTime() + 30_000_000_000L;
        while (lastSeq.get() < 0 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        int n = fps * seconds;
        long t0 = System.nanoTime();
        for (int i = 1; i <= n; i++) {
            pace(t0, i, fps);
            sentAt.put((long) i, System.nanoTime());
            ws.sendBinary(frame(i, image), true).join();
        }
        until = System.nanoTime() + 30_000_000_000L;
        while (lastSeq.get() < n && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
        return new Result("websocket", n, ms.size(), (int) dropped.get(), (int) errors.get(), ms.size() / wall, ms);
    }

    /** Waits until frame {@code i} (1-based) is due at {@code fps} after {@code start}: an open-loop sender. */
    private static void pace(long start, int i, int fps) {
        long due = start + (long) ((i - 1) * 1e9 / fps);
        while (System.nanoTime() < due) {
            java.util.concurrent.locks.LockSupport.parkNanos(due - System.nanoTime());
        }
    }

    private static ByteBuffer frame(long seq, byte[] image) {
        return ByteBuffer.allocate(8 + image.length).putLong(seq).put(image).flip();
    }

    private static double pct(List<Double> sorted, double q) {
        return sorted.isEmpty() ? Double.NaN : sorted.get((int) Math.min(sorted.size() - 1,
                Math.floor(q * sorted.size())));
    }
}
