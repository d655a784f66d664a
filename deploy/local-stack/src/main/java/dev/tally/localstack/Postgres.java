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
import java.time.Duration;
import java.util.List;

/**
 * The stack's PostgreSQL: zonky's embedded binaries (from Maven Central, no install, works as root)
 * on a data directory kept in .tally/pg, or an external server named by TALLY_PG_URL. Either way
 * each service gets its own database, created here if missing.
 */
public final class Postgres {
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
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(home.pgData())
                .setCleanDataDirectory(false)
                .setPort(config.pgPort())
                .setRegisterShutdownHook(false) // RunningStack stops it, after the services
                .setOutputRedirector(log)
                .setErrorRedirector(log)
                .setPGStartupWait(Duration.ofSeconds(60))
                .start();
        PidFiles.readPid(home.pgData().resolve("postmaster.pid"))
                .ifPresent(pid -> pids.write(OwnedProcesses.POSTGRES, pid));
        return new Postgres(config, pg);
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
