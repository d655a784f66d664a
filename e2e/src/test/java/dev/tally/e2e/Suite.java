package dev.tally.e2e;

import static io.restassured.RestAssured.given;

import dev.tally.localstack.DevTokens;
import dev.tally.testsupport.TestKafka;
import dev.tally.testsupport.TestPostgres;
import dev.tally.testsupport.TestTokens;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The whole suite as built: the four packaged services, each its own JVM, against one real
 * PostgreSQL (a fresh database each) and one real Kafka broker, started once per test JVM.
 * Tests talk to it over HTTP only.
 */
public final class Suite {
    public enum Service {
        PLANS("plans-service"), SUBSCRIPTIONS("subscriptions-service"), CREDITS("credits-service"), SCHEDULER("billing-scheduler");

        final String module;

        Service(String module) {
            this.module = module;
        }
    }

    private static Suite instance;
    private final Map<Service, Integer> ports = new EnumMap<>(Service.class);
    private final List<Process> processes = new ArrayList<>();
    private final Path logs;

    private Suite(Path root) {
        this.logs = root.resolve("e2e/target/e2e-logs");
    }

    public static synchronized Suite get() {
        if (instance == null) {
            Path root = Path.of(System.getProperty("tally.root", "..")).toAbsolutePath().normalize();
            instance = new Suite(root);
            instance.start(root);
        }
        return instance;
    }

    public String url(Service service) {
        return "http://127.0.0.1:" + ports.get(service);
    }

    /** Sets every service's clock to {@code now}, so the suite agrees on the time. */
    public void setClock(Instant now) {
        for (Service s : Service.values()) {
            given().baseUri(url(s)).header("Authorization", TestTokens.bearer(TestTokens.admin()))
                    .contentType(ContentType.JSON).body(Map.of("now", now.toString())).put("/admin/clock")
                    .then().statusCode(200);
        }
    }

    public void advanceClock(Duration by) {
        for (Service s : Service.values()) {
            given().baseUri(url(s)).header("Authorization", TestTokens.bearer(TestTokens.admin()))
                    .contentType(ContentType.JSON).body(Map.of("by", by.toString())).post("/admin/clock/advance")
                    .then().statusCode(200);
        }
    }

    private void start(Path root) {
        TestPostgres pg = TestPostgres.get();
        TestKafka kafka = TestKafka.get();
        kafka.createTopics(3, Set.of("tally.plans.v1", "tally.subscriptions.v1", "tally.credits.v1", "tally.billing-commands.v1"),
                Set.of("tally.plans.v1"));
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Service s : Service.values()) {
            ports.put(s, freePort());
        }
        for (Service s : Service.values()) {
            Path jar = root.resolve(s.module).resolve("target/quarkus-app/quarkus-run.jar");
            if (!Files.exists(jar)) {
                throw new IllegalStateException(jar + " is missing: build the services first (./mvnw -B verify builds them)");
            }
            String db = pg.createDatabase(s.module.replace('-', '_'));
            Map<String, String> env = new HashMap<>();
            env.put("QUARKUS_HTTP_PORT", String.valueOf(ports.get(s)));
            env.put("QUARKUS_DATASOURCE_REACTIVE_URL", pg.reactiveUrl(db));
            env.put("QUARKUS_DATASOURCE_JDBC_URL", pg.jdbcUrl(db));
            env.put("QUARKUS_DATASOURCE_USERNAME", pg.user());
            env.put("QUARKUS_DATASOURCE_PASSWORD", pg.password());
            env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
            env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", TestTokens.publicKeyPem().toString());
            env.put("MP_JWT_VERIFY_ISSUER", DevTokens.ISSUER);
            env.put("TALLY_CLOCK_ADJUSTABLE", "true");
            env.put("TALLY_DEMO_CATALOG", "true");
            env.put("QUARKUS_MAILER_MOCK", "true");
            env.put("TALLY_PLANS_URL", url(Service.PLANS));
            env.put("TALLY_SUBSCRIPTIONS_URL", url(Service.SUBSCRIPTIONS));
            env.put("TALLY_CREDITS_URL", url(Service.CREDITS));
            ProcessBuilder builder = new ProcessBuilder("java", "-Xmx256m", "-XX:+UseSerialGC", "-jar", jar.toString())
                    .redirectErrorStream(true).redirectOutput(logs.resolve(s.module + ".log").toFile());
            builder.environment().putAll(env);
            try {
                processes.add(builder.start());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + s.module, e);
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop));
        for (Service s : Service.values()) {
            awaitReady(s);
        }
    }

    private void awaitReady(Service s) {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.currentTimeMillis() + 180_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                var response = http.send(HttpRequest.newBuilder(URI.create(url(s) + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(s.module + " did not become ready; see " + logs.resolve(s.module + ".log"));
    }

    private void stop() {
        processes.forEach(Process::destroy);
        for (Process p : processes) {
            try {
                if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
