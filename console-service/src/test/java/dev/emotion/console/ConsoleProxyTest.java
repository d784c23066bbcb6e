package dev.emotion.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The console's one origin, with real HTTP on both sides: "ingest" and "training" point at the console itself (its
 * own health and static files are a real upstream, no stub), "evaluation" at a port where nothing listens. The
 * proxy strips /api/<service>, passes status, headers and bodies through, and answers a down service with a 502
 * that names it. The pages themselves are tested in a real browser against the real services (system-tests).
 */
@QuarkusTest
@TestProfile(ConsoleProxyTest.SelfAsUpstream.class)
class ConsoleProxyTest {

    public static class SelfAsUpstream implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            int self = Integer.getInteger("console.test.port", 18180);
            return Map.of("quarkus.http.test-port", String.valueOf(self),
                    "emotion.console.upstream.ingest", "http://localhost:" + self,
                    "emotion.console.upstream.training", "http://127.0.0.1:" + self,
                    "emotion.console.upstream.evaluation", "http://localhost:" + freePort());
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void forwardsToTheServiceWithoutItsPrefix() {
        given().get("/api/ingest/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/api/training/index.html").then().statusCode(200)
                .contentType(containsString("text/html")).body(containsString("<div id=\"app\""));
        given().get("/api/ingest/no/such/path").then().statusCode(404);
        given().get("/api/console/upstreams").then().statusCode(200)
                .body("inference", equalTo("http://localhost:8084"));
    }

    @Test
    void aServiceThatDoesNotAnswerIsNamed() {
        given().get("/api/evaluation/api/v1/reports/x").then().statusCode(502)
                .contentType(containsString("application/json"))
                .body("service", equalTo("evaluation"))
                .body("error", equalTo("evaluation-service is not answering"));
    }

    @Test
    void servesTheConsole() {
        given().get("/").then().statusCode(200).body(containsString("Emotion console"));
    }
}
