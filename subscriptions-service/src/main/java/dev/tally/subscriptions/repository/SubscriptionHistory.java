package dev.tally.subscriptions.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * The subscription's history of plan changes: one row per change made or scheduled, with who made
 * it when support (an admin) did for the account, and the reason they gave. Written in the
 * transaction that saves the change; never updated.
 */
@ApplicationScoped
public class SubscriptionHistory implements PanacheRepository<HistoryEntry> {

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
    @WithSession
    public Uni<List<Entry>> of(String accountId) {
        return find("accountId", Sort.descending("id"), accountId).range(0, 199).list()
                .map(found -> found.stream().map(e -> new Entry(e.revision, e.kind, e.fromPlan, e.toPlan, e.toInterval, e.timing, e.actedBy,
                        e.reason, e.recordedAt)).toList());
    }
}
