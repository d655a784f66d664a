package dev.tally.localstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The stack's PostgreSQL: zonky's embedded binaries (from Maven Central, no install, works as root)
 * on a data directory kept in .tally/pg, or an external server named by TALLY_PG_URL. Either way
 * each service gets its own database, created here if missing.
 *
 * <p>The embedded server runs durable: zonky's builder starts {@code postgres -F} (fsync off) with
 * {@code synchronous_commit=off}, test settings that lose acknowledged commits in a crash. The stack
 * overrides them ({@link #DURABLE}); the test suite's own PostgreSQL (test-support's TestPostgres)
 * keeps fsync off for speed, and says so.
 */
public final class Postgres {
    /** Passed as {@code -c} options after zonky's {@code -F}, so they win: every commit is on disk before it is answered. */
    public static final Map<String, String> DURABLE = Map.of(
            "fsync", "on",
            "synchronous_commit", "on",
            "full_page_writes", "on");

    private final StackConfig config;
    private final EmbeddedPostgres embedded;

    private Postgres(StackConfig config, EmbeddedPostgres embedded) {
        this.config = config;
        this.embedded = embedded;
    }

    public static Postgres start(StackHome home, StackConfig config, PidFiles pids) throws IOException {
        if (config.externalPg()) {
            return new Postgres(config, null);
        }
        Redirect log = Redirect.appendTo(home.log(OwnedProcesses.POSTGRES).toFile());
        EmbeddedPostgres pg = builder(home.pgData(), config.pgPort(), log).start();
        PidFiles.readPid(home.pgData().resolve("postmaster.pid"))
                .ifPresent(pid -> pids.write(OwnedProcesses.POSTGRES, pid));
        return new Postgres(config, pg);
    }

    /** The stack's server: its data directory kept between runs, durable settings, stopped by RunningStack. */
    static EmbeddedPostgres.Builder builder(Path dataDir, int port, Redirect log) {
        return durable(EmbeddedPostgres.builder())
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setRegisterShutdownHook(false) // RunningStack stops it, after the services
                .setOutputRedirector(log)
                .setErrorRedirector(log)
                .setPGStartupWait(Duration.ofSeconds(60));
    }

    /** Overrides zonky's test settings with {@link #DURABLE} (also used by the e2e fault suite's PostgreSQL). */
    public static EmbeddedPostgres.Builder durable(EmbeddedPostgres.Builder builder) {
        DURABLE.forEach(builder::setServerConfig);
        return builder;
    }

    public void createDatabases(List<String> names) throws SQLException {
        try (Connection c = DriverManager.getConnection(config.jdbcUrl("postgres"), config.pgUser(), config.pgPassword());
             PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?");
             Statement ddl = c.createStatement()) {
            for (String name : names) {
                exists.setString(1, name);
                try (ResultSet rs = exists.executeQuery()) {
                    if (!rs.next()) {
                        ddl.execute("CREATE DATABASE " + name);
                    }
                }
            }
        }
    }

    public boolean embedded() {
        return embedded != null;
    }

    /** pg_ctl stop -m fast: open sessions are rolled back, nothing is lost that was committed. */
    public void stop() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                System.err.println("could not stop PostgreSQL: " + e.getMessage());
            }
        }
    }
}
