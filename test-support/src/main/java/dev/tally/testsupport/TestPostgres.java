package dev.tally.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.UUID;

/**
 * One real PostgreSQL per test JVM: embedded (zonky binaries from Maven Central) unless
 * {@code TALLY_TEST_PG_URL} (e.g. {@code jdbc:postgresql://127.0.0.1:5432/}) names an external one,
 * with {@code TALLY_TEST_PG_USER} / {@code TALLY_TEST_PG_PASSWORD}. Each caller gets its own fresh
 * database, so test classes and modules never see each other's rows.
 */
public final class TestPostgres {
    private static TestPostgres instance;

    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final EmbeddedPostgres embedded;

    private TestPostgres(String host, int port, String user, String password, EmbeddedPostgres embedded) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.embedded = embedded;
    }

    public static synchronized TestPostgres get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    private static TestPostgres start() {
        String external = System.getenv("TALLY_TEST_PG_URL");
        if (external != null && !external.isBlank()) {
            var uri = java.net.URI.create(external.replaceFirst("^jdbc:", ""));
            return new TestPostgres(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 5432,
                    envOr("TALLY_TEST_PG_USER", "postgres"), envOr("TALLY_TEST_PG_PASSWORD", ""), null);
        }
        try {
            // Tests skip fsync for speed (a test JVM's data dies with it); benchmarks (-Dtally.test.pg.durable=true)
            // keep fsync on. Not durable either way: zonky sets synchronous_commit=off. ./tally up and the e2e fault
            // suite run durable (dev.tally.localstack.Postgres.DURABLE).
            var builder = EmbeddedPostgres.builder().setServerConfig("max_connections", "300");
            if (!Boolean.getBoolean("tally.test.pg.durable")) {
                builder.setServerConfig("fsync", "off");
            }
            // extra server settings for diagnosis, e.g. -Dtally.test.pg.config=shared_preload_libraries=pg_stat_statements
            for (String setting : System.getProperty("tally.test.pg.config", "").split(";")) {
                int eq = setting.indexOf('=');
                if (eq > 0) {
                    builder.setServerConfig(setting.substring(0, eq).trim(), setting.substring(eq + 1).trim());
                }
            }
            EmbeddedPostgres pg = builder.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (IOException ignored) {
                    // the JVM is going away; the OS reaps the server
                }
            }));
            return new TestPostgres("127.0.0.1", pg.getPort(), "postgres", "", pg);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
        }
    }

    /** Creates an empty database named after {@code prefix} plus a random suffix, and returns its name. */
    public String createDatabase(String prefix) {
        String name = (prefix + "_" + UUID.randomUUID().toString().substring(0, 8))
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), user, password)) {
            c.createStatement().execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name, e);
        }
        return name;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    public String reactiveUrl(String database) {
        return "postgresql://" + host + ":" + port + "/" + database;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public boolean isEmbedded() {
        return embedded != null;
    }

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
