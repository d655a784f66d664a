package dev.tally.e2e.faults;

import dev.tally.localstack.Postgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The fault suite's PostgreSQL: a server process of its own (zonky's binaries) on a data directory and
 * port that survive it, durable like {@code ./tally up}'s ({@link Postgres#DURABLE}), so that a crash
 * tests what a 2xx promises. {@link #crash()} is an immediate shutdown (SIGQUIT to the postmaster:
 * no checkpoint, crash recovery on the next start).
 */
final class FaultPostgres {
    private final Path dataDir;
    private final int port;
    private final Path log;
    private EmbeddedPostgres server;

    FaultPostgres(Path dataDir, int port, Path log) {
        this.dataDir = dataDir;
        this.port = port;
        this.log = log;
    }

    void start() {
        try {
            var builder = Postgres.durable(EmbeddedPostgres.builder()).setServerConfig("max_connections", "300");
            // e.g. -Dtally.faults.pg.config=synchronous_commit=off shows what the crash row catches on a non-durable server
            for (String setting : System.getProperty("tally.faults.pg.config", "").split(";")) {
                int eq = setting.indexOf('=');
                if (eq > 0) {
                    builder.setServerConfig(setting.substring(0, eq).trim(), setting.substring(eq + 1).trim());
                }
            }
            server = builder
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setRegisterShutdownHook(false)
                    .setOutputRedirector(Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(Redirect.appendTo(log.toFile()))
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the fault suite's PostgreSQL", e);
        }
    }

    /** pg_ctl stop -m immediate, as a signal: every backend dies at once, nothing is flushed beyond what fsync already made durable. */
    void crash() throws IOException, InterruptedException {
        long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
        Process kill = new ProcessBuilder("kill", "-QUIT", Long.toString(pid)).inheritIO().start();
        kill.waitFor(10, TimeUnit.SECONDS);
        ProcessHandle.of(pid).ifPresent(h -> h.onExit().orTimeout(30, TimeUnit.SECONDS).join());
        release();
    }

    /** Releases zonky's handle (its pg_ctl stop fails harmlessly on a dead server) so a new one can take the data directory. */
    private void release() {
        try {
            server.close();
        } catch (IOException | RuntimeException ignored) {
            // the server is gone already
        }
        server = null;
    }

    /** pg_ctl stop -m fast, at the end of the suite. */
    void stop() {
        if (server != null) {
            release();
        }
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    String reactiveUrl(String database) {
        return "postgresql://127.0.0.1:" + port + "/" + database;
    }

    Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), "postgres", "");
    }

    void createDatabase(String name) throws SQLException {
        try (Connection c = connect("postgres")) {
            c.createStatement().execute("CREATE DATABASE " + name);
        }
    }

    /** What the server runs with, for the suite's header line. */
    String settings() throws SQLException {
        try (Connection c = connect("postgres"); var st = c.createStatement()) {
            StringBuilder out = new StringBuilder();
            for (String s : new String[] {"fsync", "synchronous_commit", "full_page_writes"}) {
                try (var rs = st.executeQuery("SHOW " + s)) {
                    rs.next();
                    out.append(s).append('=').append(rs.getString(1)).append(' ');
                }
            }
            return out.toString().trim();
        }
    }
}
