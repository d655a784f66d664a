package dev.tally.scheduler.repository;

import dev.tally.scheduler.domain.TimerPlan.WantedTimer;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Durable timers and the claims replicas hold on them. Queries only. */
@ApplicationScoped
public class TimerRepository {

    public record Timer(long id, UUID subscriptionId, String accountId, String kind, Instant dueAt, Instant periodStart, Instant periodEnd,
                        Instant firedAt) {
    }

    /** True when {@code revision} is newer than the last one applied for the subscription (and records it). */
    public Uni<Boolean> advanceRevision(SqlConnection tx, UUID subscriptionId, long revision) {
        return tx.preparedQuery("INSERT INTO subscription_revision (subscription_id, revision) VALUES ($1, $2) "
                        + "ON CONFLICT (subscription_id) DO UPDATE SET revision = excluded.revision "
                        + "WHERE subscription_revision.revision < excluded.revision")
                .execute(Tuple.of(subscriptionId, revision)).map(rows -> rows.rowCount() == 1);
    }

    /** Makes the subscription's unfired timers exactly {@code wanted}: moved ones go, new ones come, at most once each. */
    public Uni<Void> replaceUnfired(SqlConnection tx, UUID subscriptionId, String accountId, List<WantedTimer> wanted) {
        String[] kinds = wanted.stream().map(WantedTimer::kind).toArray(String[]::new);
        OffsetDateTime[] dues = wanted.stream().map(w -> at(w.dueAt())).toArray(OffsetDateTime[]::new);
        Uni<Void> delete = tx.preparedQuery("DELETE FROM timer WHERE subscription_id = $1 AND fired_at IS NULL "
                        + "AND (kind, due_at) NOT IN (SELECT * FROM unnest($2::text[], $3::timestamptz[]))")
                .execute(Tuple.of(subscriptionId, kinds, dues)).replaceWithVoid();
        if (wanted.isEmpty()) {
            return tx.preparedQuery("DELETE FROM timer WHERE subscription_id = $1 AND fired_at IS NULL")
                    .execute(Tuple.of(subscriptionId)).replaceWithVoid();
        }
        return delete.flatMap(x -> tx.preparedQuery("INSERT INTO timer (subscription_id, account_id, kind, due_at, period_start, period_end) "
                        + "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (subscription_id, kind, due_at) DO NOTHING")
                .executeBatch(wanted.stream().map(w -> Tuple.of(subscriptionId, accountId, w.kind(), at(w.dueAt()),
                        at(w.periodStart()), at(w.periodEnd()))).toList())
                .replaceWithVoid());
    }

    /** Claims up to {@code limit} due timers for {@code replica}: unclaimed ones, or ones whose lease ran out. */
    public Uni<List<Timer>> claimDue(SqlClient client, String replica, Instant now, java.time.Duration lease, int limit) {
        return client.preparedQuery("UPDATE timer SET claimed_by = $1, claim_expires = clock_timestamp() + $2 * interval '1 millisecond' "
                        + "WHERE id IN (SELECT id FROM timer WHERE fired_at IS NULL AND due_at <= $3 "
                        + "AND (claim_expires IS NULL OR claim_expires < clock_timestamp()) ORDER BY due_at LIMIT $4 FOR UPDATE SKIP LOCKED) "
                        + "RETURNING id, subscription_id, account_id, kind, due_at, period_start, period_end, fired_at")
                .execute(Tuple.of(replica, lease.toMillis(), at(now), limit))
                .map(this::timers);
    }

    /** Marks fired the claimed timers this replica still holds; returns those (only they may be announced). */
    public Uni<List<Timer>> markFired(SqlConnection tx, String replica, List<Long> ids, Instant now) {
        return tx.preparedQuery("UPDATE timer SET fired_at = $3, claimed_by = NULL, claim_expires = NULL "
                        + "WHERE id = ANY($1) AND claimed_by = $2 AND fired_at IS NULL "
                        + "RETURNING id, subscription_id, account_id, kind, due_at, period_start, period_end, fired_at")
                .execute(Tuple.of(ids.toArray(Long[]::new), replica, at(now)))
                .map(this::timers);
    }

    public Uni<List<Timer>> forAccount(SqlClient client, String accountId) {
        return client.preparedQuery("SELECT id, subscription_id, account_id, kind, due_at, period_start, period_end, fired_at FROM timer "
                        + "WHERE account_id = $1 ORDER BY due_at").execute(Tuple.of(accountId)).map(this::timers);
    }

    private List<Timer> timers(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        List<Timer> out = new ArrayList<>();
        rows.forEach(r -> out.add(new Timer(r.getLong("id"), r.getUUID("subscription_id"), r.getString("account_id"), r.getString("kind"),
                r.getOffsetDateTime("due_at").toInstant(), instant(r.getOffsetDateTime("period_start")),
                instant(r.getOffsetDateTime("period_end")), instant(r.getOffsetDateTime("fired_at")))));
        return out;
    }

    static OffsetDateTime at(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
