package dev.tally.backbone.tx;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * The one database transaction a change commits in. It is open on exactly one connection: either a
 * Hibernate Reactive session's ({@link Kind#SESSION}, for Panache entities) or a pooled Vert.x
 * connection's ({@link Kind#CONNECTION}, for the set-based native hot paths). The outbox, inbox and
 * idempotency writers take a {@code Tx} and write on that same connection, so the change, its
 * events, its inbox record and its stored answer commit together. Open one with {@link Transactions}.
 */
public final class Tx {
    /** Which connection the transaction is on. */
    public enum Kind { SESSION, CONNECTION }

    private static final Pattern DOLLAR = Pattern.compile("\\$(\\d+)(?=(:?))");

    private final Mutiny.Session session;
    private final SqlConnection connection;

    private Tx(Mutiny.Session session, SqlConnection connection) {
        this.session = session;
        this.connection = connection;
    }

    /** The transaction a Hibernate Reactive session has open (Panache.withTransaction, @WithTransaction). */
    public static Tx of(Mutiny.Session session) {
        return new Tx(java.util.Objects.requireNonNull(session), null);
    }

    /** The transaction open on a pooled connection (pool.withTransaction). */
    public static Tx of(SqlConnection connection) {
        return new Tx(null, java.util.Objects.requireNonNull(connection));
    }

    public Kind kind() {
        return session != null ? Kind.SESSION : Kind.CONNECTION;
    }

    public boolean onSession() {
        return session != null;
    }

    /** The session; fails on a connection transaction (never open a session inside it). */
    public Mutiny.Session session() {
        if (session == null) {
            throw new IllegalStateException("this transaction is on a pooled connection, not a Hibernate session");
        }
        return session;
    }

    /** The connection; fails on a session transaction (its connection is the session's own). */
    public SqlConnection connection() {
        if (connection == null) {
            throw new IllegalStateException("this transaction is a Hibernate session's: use session() or the Tx methods");
        }
        return connection;
    }

    /**
     * Runs one native statement ({@code $1, $2 ...} placeholders, as the Vert.x client writes them) in
     * this transaction and answers how many rows it changed. On a session it runs as the session's
     * native query, after the session's pending changes are flushed.
     */
    public Uni<Integer> update(String sql, Object... params) {
        if (connection != null) {
            return connection.preparedQuery(sql).execute(Tuple.from(params)).map(rows -> rows.rowCount());
        }
        return session.flush().chain(() -> native_(sql, params).executeUpdate());
    }

    /**
     * Runs one native query in this transaction; each row as its column values (a {@code jsonb} or
     * {@code timestamptz} column: cast it to {@code text} in the query, as the two drivers answer
     * them as different types).
     */
    public Uni<List<Object[]>> rows(String sql, Object... params) {
        if (connection != null) {
            return connection.preparedQuery(sql).execute(Tuple.from(params)).map(rows -> {
                List<Object[]> out = new ArrayList<>();
                rows.forEach(r -> {
                    Object[] values = new Object[r.size()];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = r.getValue(i);
                    }
                    out.add(values);
                });
                return out;
            });
        }
        return session.flush().chain(() -> native_(sql, params).getResultList()).map(list -> {
            List<Object[]> out = new ArrayList<>(list.size());
            list.forEach(r -> out.add(r instanceof Object[] values ? values : new Object[] {r}));
            return out;
        });
    }

    private Mutiny.Query<Object> native_(String sql, Object[] params) {
        Mutiny.Query<Object> query = session.createNativeQuery(ordinal(sql));
        for (int i = 0; i < params.length; i++) {
            query.setParameter(i + 1, params[i]);
        }
        return query;
    }

    /** {@code $n} (the Vert.x client's placeholders) as {@code ?n} (Hibernate's ordinal parameters); a cast after it kept apart. */
    static String ordinal(String sql) {
        Matcher m = DOLLAR.matcher(sql);
        return m.replaceAll(r -> "?" + r.group(1) + (r.group(2).isEmpty() ? "" : " ")); // Hibernate reads "?1::text" as label "1::text"
    }
}
