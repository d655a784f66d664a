package dev.tally.credits.repository;

import dev.tally.credits.domain.Hold;
import dev.tally.credits.domain.HoldStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

/** Credit holds (credits-domain's Hold). An OPEN hold past its expiry reserves nothing any more. Queries only. */
@ApplicationScoped
public class HoldRepository {

    /** Credits reserved by the account's open, unexpired holds, except {@code excluding}. */
    public Uni<Long> held(SqlClient client, String accountId, Instant now, UUID excluding) {
        return client.preparedQuery("SELECT COALESCE(SUM(credits), 0) FROM credit_hold WHERE account_id = $1 AND status = 'OPEN' "
                        + "AND expires_at > $2 AND id <> $3")
                .execute(Tuple.of(accountId, now.atOffset(ZoneOffset.UTC), excluding == null ? new UUID(0, 0) : excluding))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** Credits reserved by open, unexpired holds, by account (accounts without any are absent; the debit group reads them with {@link DebitWatches}). */
    public Uni<java.util.Map<String, Long>> held(SqlClient client, java.util.List<String> accountIds, Instant now) {
        return client.preparedQuery("SELECT account_id, SUM(credits) FROM credit_hold WHERE account_id = ANY($1) AND status = 'OPEN' "
                        + "AND expires_at > $2 GROUP BY account_id")
                .execute(Tuple.of(accountIds.toArray(String[]::new), now.atOffset(ZoneOffset.UTC)))
                .map(rows -> {
                    java.util.Map<String, Long> out = new java.util.HashMap<>();
                    rows.forEach(r -> out.put(r.getString(0), r.getLong(1)));
                    return out;
                });
    }

    public Uni<Void> insert(SqlConnection tx, Hold h, Instant now) {
        return tx.preparedQuery("INSERT INTO credit_hold (id, account_id, credits, status, reason, expires_at, created_at) "
                        + "VALUES ($1, $2, $3, 'OPEN', $4, $5, $6)")
                .execute(Tuple.of(h.id(), h.accountId(), h.credits(), h.reason(), h.expiresAt().atOffset(ZoneOffset.UTC), now.atOffset(ZoneOffset.UTC)))
                .replaceWithVoid();
    }

    public Uni<Optional<Hold>> lock(SqlConnection tx, String accountId, UUID id) {
        return tx.preparedQuery("SELECT * FROM credit_hold WHERE id = $1 AND account_id = $2 FOR UPDATE").execute(Tuple.of(id, accountId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toHold(rows.iterator().next())));
    }

    public Uni<Void> close(SqlConnection tx, UUID id, HoldStatus status, long captured) {
        return tx.preparedQuery("UPDATE credit_hold SET status = $2, captured = $3 WHERE id = $1")
                .execute(Tuple.of(id, status.name(), captured)).replaceWithVoid();
    }

    private static Hold toHold(Row r) {
        return new Hold(r.getUUID("id"), r.getString("account_id"), r.getLong("credits"), HoldStatus.valueOf(r.getString("status")), r.getLong("captured"),
                r.getString("reason"), r.getOffsetDateTime("expires_at").toInstant());
    }
}
