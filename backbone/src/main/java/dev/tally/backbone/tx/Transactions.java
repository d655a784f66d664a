package dev.tally.backbone.tx;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Function;

/**
 * Opens the one transaction a change commits in ({@link Tx}): on a Hibernate Reactive session for
 * Panache entities, or on a pooled connection for the native hot paths. Never open one inside the
 * other: a second connection in a transaction is a second transaction (and a pool-size deadlock).
 */
@ApplicationScoped
public class Transactions {
    private final Pool pool;
    private final Vertx vertx;

    public Transactions(Pool pool, Vertx vertx) {
        this.pool = pool;
        this.vertx = vertx;
    }

    /** Runs {@code work} in a transaction of that {@code kind}; it commits when the Uni succeeds, rolls back when it fails. */
    public <T> Uni<T> open(Tx.Kind kind, Function<Tx, Uni<T>> work) {
        return kind == Tx.Kind.SESSION ? inSession(work) : onConnection(work);
    }

    /**
     * In the current Hibernate Reactive session's transaction (Panache.withTransaction: joins the one
     * a caller's {@code @WithTransaction} opened, or opens one). Hibernate Reactive keeps its session
     * on a Vert.x duplicated context: every Quarkus request and Kafka record has one; a caller on
     * another thread is moved onto a fresh one.
     */
    public <T> Uni<T> inSession(Function<Tx, Uni<T>> work) {
        Uni<T> inTransaction = Uni.createFrom().deferred(
                () -> Panache.withTransaction(() -> Panache.getSession().flatMap(session -> work.apply(Tx.of(session)))));
        Context current = Vertx.currentContext();
        if (current != null && VertxContext.isDuplicatedContext(current)) {
            return inTransaction;
        }
        Context duplicated = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle.setContextSafe(duplicated, true);
        return Uni.createFrom().emitter(emitter -> duplicated.runOnContext(x -> inTransaction.subscribe().with(emitter::complete, emitter::fail)));
    }

    /** On one pooled Vert.x connection, in its transaction. */
    public <T> Uni<T> onConnection(Function<Tx, Uni<T>> work) {
        return pool.withTransaction(connection -> work.apply(Tx.of(connection)));
    }

    /** The session transaction a caller's {@code @WithTransaction} (or Panache.withTransaction) has open; fails when none is. */
    public static Uni<Tx> current() {
        return Panache.currentTransaction().flatMap(t -> t == null
                ? Uni.createFrom().failure(new IllegalStateException("no session transaction is open: use @WithTransaction"))
                : Panache.getSession().map(Tx::of));
    }
}
