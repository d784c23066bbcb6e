package dev.emotion.core.models.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.emotion.core.models.Backbone;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Weights from an http(s) URL: downloaded once with progress, sha256-checked, cached; bad digests and 404s named. */
class PretrainedWeightsTest {

    @TempDir
    Path dir;

    @Test
    void downloadsOnceChecksTheDigestAndReusesTheCache() throws Exception {
        Path file = dir.resolve("served.safetensors");
        SafeTensors.write(file, List.of(new Tensor("w", new long[] {4}, new float[] {1, 2, 3, 4})), "F32");
        byte[] bytes = Files.readAllBytes(file);
        String sha = PretrainedWeights.sha256(file);
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/weights/resnet50.safetensors", ex -> {
            requests.incrementAndGet();
            ex.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/weights/resnet50.safetensors";
            Path cache = dir.resolve("cache");
            List<String> progress = new ArrayList<>();
            Path got = PretrainedWeights.download(url, sha, cache, progress::add);
            assertArrayEquals(bytes, Files.readAllBytes(got));
            assertTrue(progress.stream().anyMatch(p -> p.contains("resnet50.safetensors")), progress.toString());
            Path again = PretrainedWeights.download(url, sha, cache, progress::add);
            assertEquals(got, again);
            assertEquals(1, requests.get(), "the second call uses the cache");

            WeightImportException bad = assertThrows(WeightImportException.class, () ->
                    PretrainedWeights.download(url, "00" + sha.substring(2), dir.resolve("other"), p -> { }));
            assertTrue(bad.getMessage().contains("expected 00"), bad.getMessage());
            assertTrue(Files.list(dir.resolve("other")).findAny().isEmpty(), "a damaged download is not kept");

            String missing = "http://127.0.0.1:" + server.getAddress().getPort() + "/nothing.safetensors";
            IOException notFound = assertThrows(IOException.class, () ->
                    PretrainedWeights.download(missing, null, cache, p -> { }));
            assertTrue(notFound.getMessage().contains("404"), notFound.getMessage());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aMissingLocalFileSaysWhereWeightsGo() {
        PretrainedWeights.Missing e = assertThrows(PretrainedWeights.Missing.class, () -> PretrainedWeights.load(
                Backbone.RESNET50, null, dir.resolve("nope.safetensors").toString(), null, dir, p -> { }));
        assertTrue(e.getMessage().contains("nope.safetensors") && e.getMessage().contains("--weights"),
                e.getMessage());
    }
}
