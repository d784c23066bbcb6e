package dev.emotion.cli;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A multipart/form-data body streamed from files (videos can be large: they are not read into memory). */
final class Multipart {

    private final String boundary = "emotion-" + UUID.randomUUID();
    private final List<HttpRequest.BodyPublisher> parts = new ArrayList<>();

    Multipart field(String name, String value) {
        if (value != null) {
            parts.add(HttpRequest.BodyPublishers.ofString("--" + boundary + "\r\nContent-Disposition: form-data; name=\""
                    + name + "\"\r\n\r\n" + value + "\r\n", StandardCharsets.UTF_8));
        }
        return this;
    }

    Multipart file(String name, Path file, String contentType) throws IOException {
        if (file != null) {
            parts.add(HttpRequest.BodyPublishers.ofString("--" + boundary + "\r\nContent-Disposition: form-data; name=\""
                    + name + "\"; filename=\"" + file.getFileName() + "\"\r\nContent-Type: " + contentType
                    + "\r\n\r\n", StandardCharsets.UTF_8));
            parts.add(HttpRequest.BodyPublishers.ofFile(file));
            parts.add(HttpRequest.BodyPublishers.ofString("\r\n", StandardCharsets.UTF_8));
        }
        return this;
    }

    String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    HttpRequest.BodyPublisher body() {
        List<HttpRequest.BodyPublisher> all = new ArrayList<>(parts);
        all.add(HttpRequest.BodyPublishers.ofString("--" + boundary + "--\r\n", StandardCharsets.UTF_8));
        return HttpRequest.BodyPublishers.concat(all.toArray(HttpRequest.BodyPublisher[]::new));
    }
}
