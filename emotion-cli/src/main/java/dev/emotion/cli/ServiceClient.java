package dev.emotion.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emotion.core.contract.Contracts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** One service's HTTP API as the commands use it: submit a job (202 expected), poll its state; API key when set. */
final class ServiceClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String command;
    private final String service;
    private final String url;
    private final String apiKey;

    ServiceClient(String command, String service, String url, String apiKey) {
        this.command = command;
        this.service = service;
        this.url = url.replaceAll("/+$", "");
        this.apiKey = apiKey;
    }

    /** POSTs a job; returns the accepted job's JSON, or null after printing why it was refused. */
    JsonNode submit(String path, String contentType, HttpRequest.BodyPublisher body, String what)
            throws IOException, InterruptedException {
        return post(HttpRequest.newBuilder(URI.create(url + path)).header("Content-Type", contentType).POST(body)
                .timeout(Duration.ofMinutes(10)), 202, what);
    }

    /** POSTs an empty body to an endpoint that answers 200 at once; returns the JSON, or null after printing why. */
    JsonNode call(String path, String what) throws IOException, InterruptedException {
        return post(HttpRequest.newBuilder(URI.create(url + path)).POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofMinutes(30)), 200, what);
    }

    /** Sends with the API key; the JSON when the status is {@code expected}, else null after printing the detail. */
    private JsonNode post(HttpRequest.Builder req, int expected, String what) throws IOException, InterruptedException {
        if (apiKey != null && !apiKey.isBlank()) {
            req.header("X-API-Key", apiKey);
        }
        HttpResponse<String> resp = send(req.build());
        JsonNode json = Contracts.mapper().readTree(resp.body());
        if (resp.statusCode() != expected) {
            System.err.println(command + ": " + what + ": HTTP " + resp.statusCode() + ": "
                    + json.path("detail").asText(resp.body()));
            return null;
        }
        return json;
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        return Contracts.mapper().readTree(send(HttpRequest.newBuilder(URI.create(url + path)).GET().build()).body());
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.net.ConnectException e) {
            throw new UsageException(command + ": " + service + " does not answer at " + url
                    + " (start the services with ./emotion up)");
        }
    }
}
