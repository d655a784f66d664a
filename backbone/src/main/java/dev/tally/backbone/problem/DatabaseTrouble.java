package dev.tally.backbone.problem;

import io.vertx.pgclient.PgException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.sql.SQLException;
import java.util.Locale;

/**
 * Tells a failure that says the database cannot be reached (or the transaction lost a race and
 * may simply be retried) from a bug, by walking its causes: both are a 503 with Retry-After, not a 500.
 * <ul>
 * <li>{@code database_unavailable}: connection refused or closed, a server that ends or refuses the
 * session (a FATAL error, SQLSTATE class 08, 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03
 * cannot_connect_now, 53300 too_many_connections), no pooled connection within the pool's timeout.</li>
 * <li>{@code transient_conflict}: serialization failure (40001) or deadlock (40P01) that escaped the
 * code's own retries; the same request, with the same Idempotency-Key, may be sent again.</li>
 * </ul>
 */
public enum DatabaseTrouble {
    UNAVAILABLE("database_unavailable", 2, "The database cannot be reached right now; retry later (with the same Idempotency-Key)."),
    TRANSIENT_CONFLICT("transient_conflict", 1,
            "The request collided with a concurrent one and was rolled back; retry it (with the same Idempotency-Key).");

    private final String code;
    private final int retryAfterSeconds;
    private final String detail;

    DatabaseTrouble(String code, int retryAfterSeconds, String detail) {
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
        this.detail = detail;
    }

    public String code() {
        return code;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public Problem problem() {
        return Problem.of(503, code, detail);
    }

    /** What {@code failure} or any of its causes says about the database, or null when it says nothing. */
    public static DatabaseTrouble of(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 20; t = t.getCause(), depth++) {
            DatabaseTrouble trouble = classify(t);
            if (trouble != null) {
                return trouble;
            }
        }
        return null;
    }

    private static DatabaseTrouble classify(Throwable t) {
        if (t instanceof PgException pg) {
            return "FATAL".equals(pg.getSeverity()) || "PANIC".equals(pg.getSeverity())
                    ? UNAVAILABLE : bySqlState(pg.getSqlState());
        }
        if (t instanceof SQLException sql && sql.getSQLState() != null) {
            return bySqlState(sql.getSQLState());
        }
        if (t instanceof ConnectException || t instanceof ClosedChannelException
                || t instanceof io.vertx.sqlclient.ClosedConnectionException
                || t instanceof io.vertx.core.impl.NoStackTraceTimeoutException) {
            return UNAVAILABLE;
        }
        String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
        boolean vertx = t instanceof io.vertx.core.VertxException || t instanceof io.vertx.core.impl.NoStackTraceThrowable;
        if ((vertx || t instanceof SQLException) && (message.contains("connection refused")
                || message.contains("connection was closed") || message.contains("connection is closed")
                || message.contains("timeout waiting for connection") || message.contains("acquisition timeout")
                || message.contains("pool closed"))) {
            return UNAVAILABLE;
        }
        return null;
    }

    private static DatabaseTrouble bySqlState(String state) {
        if (state == null) {
            return null;
        }
        if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")
                || state.equals("53300")) {
            return UNAVAILABLE;
        }
        if (state.equals("40001") || state.equals("40P01")) {
            return TRANSIENT_CONFLICT;
        }
        return null;
    }
}
