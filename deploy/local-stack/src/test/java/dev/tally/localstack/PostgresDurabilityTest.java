package dev.tally.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.lang.ProcessBuilder.Redirect;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stack's PostgreSQL, started with the very builder {@code ./tally up} uses, runs durable:
 * zonky's defaults ({@code postgres -F}, {@code synchronous_commit=off}) would lose answered commits in a crash.
 */
class PostgresDurabilityTest {

    @Test
    void theStacksPostgresRunsWithFsyncSynchronousCommitAndFullPageWrites(@TempDir Path dir) throws Exception {
        Path log = Files.createFile(dir.resolve("postgres.log"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (EmbeddedPostgres pg = Postgres.builder(dir.resolve("pg"), port, Redirect.appendTo(log.toFile())).start();
             Connection c = pg.getPostgresDatabase().getConnection();
             Statement st = c.createStatement()) {
            assertEquals("on", show(st, "fsync"));
            assertEquals("on", show(st, "synchronous_commit"));
            assertEquals("on", show(st, "full_page_writes"));
        }
    }

    private static String show(Statement st, String setting) throws Exception {
        try (ResultSet rs = st.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
