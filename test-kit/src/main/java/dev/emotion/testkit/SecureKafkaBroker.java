package dev.emotion.testkit;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The authorised broker that {@code ./emotion kafka start --secure} runs beside the plain one (SASL/SCRAM-SHA-512,
 * ACLs per service): where it listens, its users' passwords (from the credentials file it wrote), and the client
 * settings of each user. {@code ./emotion test} starts it and names both in the environment.
 */
public final class SecureKafkaBroker {

    private SecureKafkaBroker() {
    }

    public static String bootstrapServers() {
        String env = System.getenv("KAFKA_SECURE_BOOTSTRAP_SERVERS");
        return env == null || env.isBlank() ? "localhost:9192" : env;
    }

    /** The credentials file: KAFKA_SECURE_CREDENTIALS, else the repository's .emotion/kafka-secure/credentials.env. */
    public static Path credentialsFile() {
        String env = System.getenv("KAFKA_SECURE_CREDENTIALS");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("emotion"))) {
            dir = dir.getParent(); // up from a module to the repository root, where the launcher lives
        }
        return (dir == null ? Path.of(".emotion") : dir.resolve(".emotion")).resolve("kafka-secure")
                .resolve("credentials.env");
    }

    /** The password of {@code user}: ADMIN, INGEST, TRAINING, EVALUATION or INFERENCE. */
    public static String password(String user) {
        Properties p = new Properties();
        Path file = credentialsFile();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalStateException("no secure broker credentials at " + file + " (" + e.getMessage()
                    + "). Start it with ./emotion kafka start --secure, or run the tests with ./emotion test.", e);
        }
        String v = p.getProperty("EMOTION_KAFKA_" + user.toUpperCase() + "_PASSWORD");
        if (v == null) {
            throw new IllegalStateException(file + " has no password for " + user);
        }
        return v.strip();
    }

    /** SASL client settings for a SCRAM user ({@code admin}, {@code emotion-ingest}, ...) with this password. */
    public static Properties client(String user, String password) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        p.put("sasl.mechanism", "SCRAM-SHA-512");
        p.put("sasl.jaas.config", dev.emotion.core.contract.ServiceRights.scramLogin(user, password));
        return p;
    }

    /** The broker's administrator (super user). */
    public static Properties admin() {
        return client("admin", password("ADMIN"));
    }

    /** A service's user, {@code emotion-<service>}. */
    public static Properties service(String service) {
        return client("emotion-" + service, password(service));
    }

    /**
     * The environment a service process needs to connect as its own user (Quarkus maps these to {@code kafka.*},
     * which every client of the service is built from).
     */
    public static Map<String, String> serviceEnv(String service) {
        Properties p = service(service);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers());
        env.put("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
        env.put("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
        env.put("KAFKA_SASL_JAAS_CONFIG", p.getProperty("sasl.jaas.config"));
        return env;
    }

    /** Fails fast, saying what to do, when the secure broker does not answer its administrator. */
    public static void check() {
        Properties p = admin();
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        try (Admin admin = Admin.create(p)) {
            admin.describeCluster().clusterId().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("The secure broker does not answer at " + bootstrapServers() + " ("
                    + e.getMessage() + "). Start it with ./emotion kafka start --secure, or run the tests with "
                    + "./emotion test.", e);
        }
    }
}
