package dev.tally.e2e;

import static io.restassured.RestAssured.given;

import dev.tally.e2e.contract.ContractFilter;
import dev.tally.e2e.contract.Contracts;
import dev.tally.localstack.DevTokens;
import dev.tally.testsupport.TestKafka;
import dev.tally.testsupport.TestPostgres;
import dev.tally.testsupport.TestTokens;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.io.UncheckedIOException;
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

        /** The Maven module, also the process's name in logs. */
        public String module() {
            return module;
        }
    }

    private static Suite instance;
    private final Map<Service, Integer> ports = new EnumMap<>(Service.class);
    private final Map<Service, String> databases = new EnumMap<>(Service.class);
    private final Path logs;
    private final ServiceProcesses processes;
    private ContractFilter contract;

    private Suite(Path root) {
        this.logs = root.resolve("e2e/target/e2e-logs");
        this.processes = new ServiceProcesses(root, logs);
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

    /** Every service's address, extra scheduler replicas included. */
    private List<String> urls() {
        List<String> out = new ArrayList<>();
        for (Service s : Service.values()) {
            out.add(url(s));
        }
        out.addAll(processes.extraSchedulers());
        return out;
    }

    /** A JDBC connection to one service's database (for benchmarks that count rows; tests go through HTTP only). */
    public java.sql.Connection database(Service s) throws java.sql.SQLException {
        TestPostgres pg = TestPostgres.get();
        return java.sql.DriverManager.getConnection(pg.jdbcUrl(databases.get(s)), pg.user(), pg.password());
    }

    /** Starts one more billing-scheduler process on the same database and broker; its clock is set to {@code now}. */
    public String startSchedulerReplica(Instant now) {
        String url = processes.startSchedulerReplica();
        given().baseUri(url).header("Authorization", TestTokens.bearer(TestTokens.admin()))
                .contentType(ContentType.JSON).body(Map.of("now", now.toString())).put("/admin/clock").then().statusCode(200);
        return url;
    }

    /** Stops the extra scheduler replicas (the suite's own scheduler keeps running). */
    public void stopSchedulerReplicas() {
        processes.stopSchedulerReplicas();
    }

    /**
     * Kills one service and starts it again on its port, database and broker, with {@code overrides}
     * on top of the environment the suite gave it (none: as the suite started it); its log is
     * {@code <module>-<logSuffix>.log}. A kill, not a stop: every service survives a crash at any
     * point (the fault suite shows it), the new process takes the dead one's partitions once its
     * session times out (10 s, while it starts), and a graceful stop takes longer (each of the
     * service's consumers leaving its group is one more rebalance). Its clock starts at the real
     * time: set the suite's clock after.
     */
    public void restart(Service s, Map<String, String> overrides, String logSuffix) {
        restart(s, overrides, logSuffix, Duration.ofMillis(250));
    }

    /**
     * As {@link #restart(Service, Map, String)}, polling readiness every {@code poll}; returns the time
     * from launching the new process to its {@code /q/health/ready} answering 200 (the start-up benchmark).
     */
    public Duration restart(Service s, Map<String, String> overrides, String logSuffix, Duration poll) {
        return processes.restart(s, url(s), overrides, logSuffix, poll);
    }

    /** The operating system's id of one service's process (for benchmarks that read /proc). */
    public long pid(Service s) {
        return processes.pid(s);
    }

    /** Sets every service's clock to {@code now}, so the suite agrees on the time. */
    public void setClock(Instant now) {
        for (String url : urls()) {
            given().baseUri(url).header("Authorization", TestTokens.bearer(TestTokens.admin()))
                    .contentType(ContentType.JSON).body(Map.of("now", now.toString())).put("/admin/clock")
                    .then().statusCode(200);
        }
    }

    /** Stops every service's clock at {@code now}: it stands still until advanced or set again (setClock lets it run). */
    public void freezeClock(Instant now) {
        for (String url : urls()) {
            given().baseUri(url).header("Authorization", TestTokens.bearer(TestTokens.admin()))
                    .contentType(ContentType.JSON).body(Map.of("now", now.toString(), "frozen", true)).put("/admin/clock")
                    .then().statusCode(200);
        }
    }

    public void advanceClock(Duration by) {
        for (String url : urls()) {
            given().baseUri(url).header("Authorization", TestTokens.bearer(TestTokens.admin()))
                    .contentType(ContentType.JSON).body(Map.of("by", by.toString())).post("/admin/clock/advance")
                    .then().statusCode(200);
        }
    }

    private void start(Path root) {
        var kafkaUp = new java.util.concurrent.FutureTask<>(TestKafka::get); // the broker starts while PostgreSQL does
        new Thread(kafkaUp, "suite-kafka-start").start();
        TestPostgres pg = TestPostgres.get();
        TestKafka kafka;
        try {
            kafka = kafkaUp.get();
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("the in-JVM Kafka broker did not start", e);
        }
        kafka.createTopics(3, Set.of("tally.plans.v1", "tally.subscriptions.v1", "tally.credits.v1", "tally.billing-commands.v1"),
                Set.of("tally.plans.v1"));
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Service s : Service.values()) {
            ports.put(s, Processes.freePort());
        }
        for (Service s : Service.values()) {
            Path jar = root.resolve(s.module).resolve("target/quarkus-app/quarkus-run.jar");
            if (!Files.exists(jar)) {
                throw new IllegalStateException(jar + " is missing: build the services first (./mvnw -B verify builds them)");
            }
            String db = pg.createDatabase(s.module.replace('-', '_'));
            databases.put(s, db);
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
            env.put("TALLY_PAYMENTS_LOCAL_DECLINES", "acc-declines-.*"); // the sandbox declines these accounts' payments (AutoTopupJourneyTest)
            env.put("TALLY_PLANS_URL", url(Service.PLANS));
            env.put("TALLY_SUBSCRIPTIONS_URL", url(Service.SUBSCRIPTIONS));
            env.put("TALLY_CREDITS_URL", url(Service.CREDITS));
            processes.start(s, env);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(processes::stop));
        for (Service s : Service.values()) {
            processes.awaitReady(url(s), s.module);
        }
        Map<String, String> urls = new java.util.LinkedHashMap<>();
        for (Service s : Service.values()) {
            urls.put(s.module, url(s));
        }
        contract = Contracts.install(urls, logs.resolveSibling("contract-violations.txt"));
    }

    /** The check of every RestAssured answer against the services' OpenAPI documents (installed at start). */
    public ContractFilter contract() {
        return contract;
    }
}
