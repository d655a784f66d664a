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
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Durable timers and the claims replicas hold on them: the firing paths, native SQL on the caller's
 * connection (set-based replacement of a batch's timers, FOR UPDATE SKIP LOCKED claims; see
 * docs/adr/0001-persistence.md). The admin reads are Panache: {@link TimerReads}.
 */
@ApplicationScoped
public class TimerRepository {

    public record Timer(long id, UUID subscriptionId, String accountId, String kind, Instant dueAt, Instant periodStart, Instant periodEnd,
                        Instant firedAt) {
    }

    /** A subscription's timers as its latest state wants them. */
    public record SubscriptionTimers(UUID subscriptionId, String accountId, List<WantedTimer> wanted) {
    }

    /**
     * Records the revisions (one per subscription) that are newer than the last applied one of their
     * subscription; returns the subscriptions whose revision advanced (an older state moves nothing).
     */
    public Uni<Set<UUID>> advanceRevisions(SqlConnection tx, Map<UUID, Long> revisions) {
        UUID[] ids = revisions.keySet().toArray(UUID[]::new);
        Long[] numbers = Arrays.stream(ids).map(revisions::get).toArray(Long[]::new);
        return tx.preparedQuery("INSERT INTO subscription_revision (subscription_id, revision) SELECT * FROM unnest($1::uuid[], $2::bigint[]) "
                        + "ON CONFLICT (subscription_id) DO UPDATE SET revision = excluded.revision "
                        + "WHERE subscription_revision.revision < excluded.revision RETURNING subscription_id")
                .execute(Tuple.of(ids, numbers)).map(rows -> {
                    Set<UUID> advanced = new HashSet<>();
                    rows.forEach(r -> advanced.add(r.getUUID(0)));
                    return advanced;
                });
    }

    /** Makes each subscription's unfired timers exactly the wanted ones: moved ones go, new ones come, at most once each. */
    public Uni<Void> replaceUnfired(SqlConnection tx, List<SubscriptionTimers> subscriptions) {
        if (subscriptions.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        UUID[] subscriptionIds = subscriptions.stream().map(SubscriptionTimers::subscriptionId).toArray(UUID[]::new);
        List<UUID> subs = new ArrayList<>();
        List<String> accounts = new ArrayList<>();
        List<String> kinds = new ArrayList<>();
        List<OffsetDateTime> dues = new ArrayList<>();
        List<OffsetDateTime> starts = new ArrayList<>();
        List<OffsetDateTime> ends = new ArrayList<>();
        for (SubscriptionTimers s : subscriptions) {
            for (WantedTimer w : s.wanted()) {
                subs.add(s.subscriptionId());
                accounts.add(s.accountId());
                kinds.add(w.kind());
                dues.add(at(w.dueAt()));
                starts.add(at(w.periodStart()));
                ends.add(at(w.periodEnd()));
            }
        }
        UUID[] wantedSubs = subs.toArray(UUID[]::new);
        String[] wantedKinds = kinds.toArray(String[]::new);
        OffsetDateTime[] wantedDues = dues.toArray(OffsetDateTime[]::new);
        Uni<Void> delete = tx.preparedQuery("DELETE FROM timer t WHERE t.subscription_id = ANY($1) AND t.fired_at IS NULL "
                        + "AND NOT EXISTS (SELECT 1 FROM unnest($2::uuid[], $3::text[], $4::timestamptz[]) AS w(subscription_id, kind, due_at) "
                        + "WHERE w.subscription_id = t.subscription_id AND w.kind = t.kind AND w.due_at = t.due_at)")
                .execute(Tuple.of(subscriptionIds, wantedSubs, wantedKinds, wantedDues)).replaceWithVoid();
        if (subs.isEmpty()) {
            return delete;
        }
        return delete.flatMap(x -> tx.preparedQuery("INSERT INTO timer (subscription_id, account_id, kind, due_at, period_start, period_end) "
                        + "SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::timestamptz[]) "
                        + "ON CONFLICT (subscription_id, kind, due_at) DO NOTHING")
                .execute(Tuple.from(List.of(wantedSubs, accounts.toArray(String[]::new), wantedKinds, wantedDues,
                        starts.toArray(OffsetDateTime[]::new), ends.toArray(OffsetDateTime[]::new))))
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
