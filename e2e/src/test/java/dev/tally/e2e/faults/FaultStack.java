package dev.tally.e2e.faults;

import dev.tally.e2e.Suite.Service;
import dev.tally.localstack.DevTokens;
import dev.tally.testsupport.TestTokens;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The whole suite for fault injection, every part a process that can be killed: a durable PostgreSQL, a
 * Kafka broker in its own JVM, the four packaged services, on ports of its own (it never shares e2e's
 * {@code Suite}). Everything listens on 127.0.0.1; state lives in {@code e2e/target/faults}.
 */
final class FaultStack implements AutoCloseable {
    /**
     * The relay's send timeout in this stack (tally.outbox.send-timeout; 30 s as shipped): the broker row
     * keeps the broker down longer than it, so a batch in flight fails part-way; shorter here, so that
     * row need not keep it down 40 s.
     */
    static final Duration RELAY_SEND_TIMEOUT = Duration.ofSeconds(10);
    static final List<String> TOPICS = List.of("tally.plans.v1", "tally.subscriptions.v1", "tally.credits.v1", "tally.billing-commands.v1");
    private static final Map<Service, String> DATABASES = Map.of(Service.PLANS, "tally_plans", Service.SUBSCRIPTIONS,
            "tally_subscriptions", Service.CREDITS, "tally_credits", Service.SCHEDULER, "tally_scheduler");

    final FaultPostgres postgres;
    final FaultBroker broker;
    final FaultServices services;
    private final Path logs;
    private Duration clockOffset = Duration.ZERO;
    private boolean closed;

    private FaultStack(Path root, Path home) {
        this.logs = home.resolve("logs");
        this.postgres = new FaultPostgres(home.resolve("pg"), freePort(), logs.resolve("postgres.log"));
        this.broker = new FaultBroker(root, home.resolve("kafka"), freePort(), freePort(), logs.resolve("kafka.log"));
        this.services = new FaultServices(root, logs);
    }

    static FaultStack start() throws Exception {
        Path root = Path.of(System.getProperty("tally.root", "..")).toAbsolutePath().normalize();
        Path home = root.resolve("e2e/target/faults");
        deleteTree(home);
        Files.createDirectories(home.resolve("logs"));
        FaultStack stack = new FaultStack(root, home);
        // the services and the broker are this JVM's children, PostgreSQL a daemon of pg_ctl: none may outlive the suite
        Runtime.getRuntime().addShutdownHook(new Thread(stack::closeQuietly));
        stack.boot();
        return stack;
    }

    private void boot() throws Exception {
        var starting = java.util.concurrent.Executors.newSingleThreadExecutor();
        try { // the broker (its own JVM) starts while PostgreSQL does
            var brokerUp = starting.submit(() -> {
                broker.start();
                return null;
            });
            postgres.start();
            for (String db : DATABASES.values()) {
                postgres.createDatabase(db);
            }
            brokerUp.get();
        } finally {
            starting.shutdown();
        }
        try (Admin admin = admin()) {
            admin.createTopics(TOPICS.stream().map(t -> new NewTopic(t, 3, (short) 1)
                    .configs(t.equals("tally.plans.v1") ? Map.of("cleanup.policy", "compact") : Map.of())).toList()).all().get();
        }
        Map<Service, Integer> ports = new EnumMap<>(Service.class);
        for (Service s : Service.values()) {
            ports.put(s, freePort());
        }
        for (Service s : Service.values()) {
            Map<String, String> env = new HashMap<>();
            env.put("QUARKUS_HTTP_PORT", String.valueOf(ports.get(s)));
            env.put("QUARKUS_DATASOURCE_REACTIVE_URL", postgres.reactiveUrl(DATABASES.get(s)));
            env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl(DATABASES.get(s)));
            env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
            env.put("QUARKUS_DATASOURCE_PASSWORD", "");
            env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrap());
            env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", TestTokens.publicKeyPem().toString());
            env.put("MP_JWT_VERIFY_ISSUER", DevTokens.ISSUER);
            env.put("TALLY_CLOCK_ADJUSTABLE", "true");
            env.put("TALLY_DEMO_CATALOG", "true");
            env.put("QUARKUS_MAILER_MOCK", "true");
            // a retry after a kill -9 may take over the dead request's Idempotency-Key claim after 5 s instead of 60 s
            env.put("TALLY_IDEMPOTENCY_CLAIM_LEASE", "5s");
            env.put("TALLY_OUTBOX_SEND_TIMEOUT", RELAY_SEND_TIMEOUT.toSeconds() + "s");
            env.put("TALLY_PLANS_URL", "http://127.0.0.1:" + ports.get(Service.PLANS));
            env.put("TALLY_SUBSCRIPTIONS_URL", "http://127.0.0.1:" + ports.get(Service.SUBSCRIPTIONS));
            env.put("TALLY_CREDITS_URL", "http://127.0.0.1:" + ports.get(Service.CREDITS));
            services.configure(s, env);
            services.start(s);
        }
        for (Service s : Service.values()) {
            services.awaitReady(s, Duration.ofSeconds(240));
        }
        awaitCatalog(new Client(Duration.ofSeconds(10)));
    }

    /** Ready is not yet caught up: subscriptions-service sells plans from its read model of tally.plans.v1. */
    void awaitCatalog(Client client) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            var a = client.get(url(Service.SUBSCRIPTIONS) + "/catalog/plans", Client.service());
            if (a.ok() && a.body().contains("\"plus\"") && a.body().contains("\"pro\"")) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("subscriptions-service never saw the demo catalog");
    }

    String url(Service s) {
        return services.url(s);
    }

    /** Starts a killed service again and gives it the suite's clock back (a new process starts on the system clock). */
    void restart(Service s, Client client) throws InterruptedException {
        services.start(s);
        services.awaitListening(s, Duration.ofSeconds(120));
        if (!clockOffset.isZero()) {
            client.setClock(url(s), Instant.now().plus(clockOffset));
        }
        services.awaitReady(s, Duration.ofSeconds(120));
    }

    void advanceClock(Client client, Duration by) {
        clockOffset = clockOffset.plus(by);
        for (Service s : Service.values()) {
            client.advanceClock(url(s), by);
        }
    }

    Connection database(Service s) throws SQLException {
        return postgres.connect(DATABASES.get(s));
    }

    Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        return Admin.create(p);
    }

    Path logs() {
        return logs;
    }

    @Override
    public synchronized void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        services.stopAll();
        broker.stop();
        postgres.stop();
    }

    private void closeQuietly() {
        try {
            close();
        } catch (Exception e) {
            System.err.println("fault suite: could not stop everything: " + e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
