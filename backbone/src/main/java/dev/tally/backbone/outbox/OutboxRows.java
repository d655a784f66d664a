package dev.tally.backbone.outbox;

import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/** The relay's statements on outbox rows other than the batch's SELECT ({@link RelayProducers#unsent}). */
final class OutboxRows {
    private OutboxRows() {
    }

    /** Whether any row waits to be sent (the unsent rows' partial index), in autocommit: no transaction, no lock. */
    static boolean anyUnsent(Connection c) throws SQLException {
        c.setAutoCommit(true);
        try (var look = c.prepareStatement("SELECT 1 FROM outbox_event WHERE sent_at IS NULL LIMIT 1");
             ResultSet rs = look.executeQuery()) {
            return rs.next();
        }
    }

    /** Marks these rows sent, in the batch's transaction. */
    static void markSent(Connection c, List<Long> seqs) throws SQLException {
        try (var mark = c.prepareStatement("UPDATE outbox_event SET sent_at = clock_timestamp() WHERE seq = ANY(?)")) {
            mark.setArray(1, c.createArrayOf("bigint", seqs.toArray()));
            mark.executeUpdate();
        }
    }

    /** Deletes the rows sent longer than {@code retention} ago. */
    static void purgeSent(AgroalDataSource dataSource, Duration retention) throws SQLException {
        try (Connection c = dataSource.getConnection();
             var purge = c.prepareStatement("DELETE FROM outbox_event WHERE sent_at < clock_timestamp() - ?::interval")) {
            purge.setString(1, retention.toSeconds() + " seconds");
            purge.executeUpdate();
        }
    }
}
