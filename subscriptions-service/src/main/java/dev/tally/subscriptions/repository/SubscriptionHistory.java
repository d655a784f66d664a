package dev.tally.subscriptions.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * The subscription's history of plan changes: one row per change made or scheduled, with who made
 * it when support (an admin) did for the account, and the reason they gave. Written in the
 * transaction that saves the change; never updated.
 */
@ApplicationScoped
public class SubscriptionHistory {

    /** One change: {@code kind} is {@code plan-changed} or {@code change-scheduled}; {@code actedBy} null when the account's own. */
    public record Entry(long revision, String kind, String fromPlan, String toPlan, String toInterval, String timing, String actedBy,
                        String reason, Instant at) {
    }

    public Uni<Void> record(SqlClient tx, String accountId, UUID subscriptionId, Entry e) {
        return tx.preparedQuery("INSERT INTO subscription_history (account_id, subscription_id, revision, kind, from_plan, to_plan, "
                        + "to_interval, timing, acted_by, reason, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
                .execute(Tuple.from(Arrays.asList(accountId, subscriptionId, e.revision(), e.kind(), e.fromPlan(), e.toPlan(), e.toInterval(),
                        e.timing(), e.actedBy(), e.reason(), e.at().atOffset(ZoneOffset.UTC))))
                .replaceWithVoid();
    }

    /** The account's changes, newest first (at most 200). */
    public Uni<List<Entry>> of(SqlClient db, String accountId) {
        return db.preparedQuery("SELECT revision, kind, from_plan, to_plan, to_interval, timing, acted_by, reason, recorded_at "
                        + "FROM subscription_history WHERE account_id = $1 ORDER BY id DESC LIMIT 200")
                .execute(Tuple.of(accountId))
                .map(rows -> {
                    List<Entry> entries = new ArrayList<>();
                    rows.forEach(r -> entries.add(new Entry(r.getLong(0), r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                            r.getString(5), r.getString(6), r.getString(7), r.getOffsetDateTime(8).toInstant())));
                    return entries;
                });
    }
}
