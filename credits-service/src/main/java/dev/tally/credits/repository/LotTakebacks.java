package dev.tally.credits.repository;

import static dev.tally.credits.repository.LedgerRepository.at;

import dev.tally.contracts.credits.CreditBucketKind;
import dev.tally.credits.domain.LotTakeback;
import dev.tally.credits.domain.LotTakeback.State;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What was taken back of each lot (credit_lot_takeback: closed, claimed, taken back, shortfall), and
 * the lots a void or a claw back names. Written only under the account's lock, in the transaction
 * whose ledger entries (LedgerWriter) took the credits.
 */
@ApplicationScoped
public class LotTakebacks {

    /** A lot as a void or a claw back needs it: its bucket and its grant. */
    public record GrantedLot(long id, String accountId, CreditBucketKind bucket, long granted, String reference) {
    }

    private static final String LOT = "SELECT b.id, b.account_id, b.kind, g.amount, g.reference FROM credit_bucket b "
            + "JOIN LATERAL (SELECT amount, reference FROM ledger_entry e WHERE e.bucket_id = b.id AND e.kind = 'GRANT' ORDER BY e.id LIMIT 1) g ON true ";

    public Uni<Optional<GrantedLot>> lot(SqlClient client, String accountId, long lotId) {
        return client.preparedQuery(LOT + "WHERE b.id = $1 AND b.account_id = $2").execute(Tuple.of(lotId, accountId)).map(LotTakebacks::first);
    }

    /** The lot a grant with this reference made ({@code topup:<purchaseId>}), if it was made. */
    public Uni<Optional<GrantedLot>> lotOfGrant(SqlClient client, String accountId, String reference) {
        return client.preparedQuery("SELECT b.id, b.account_id, b.kind, e.amount, e.reference FROM ledger_entry e JOIN credit_bucket b ON b.id = e.bucket_id "
                        + "WHERE e.reference = $1 AND e.kind = 'GRANT' AND e.account_id = $2 ORDER BY e.id LIMIT 1")
                .execute(Tuple.of(reference, accountId)).map(LotTakebacks::first);
    }

    /** The states of those of these lots that have one. */
    public Uni<Map<Long, State>> states(SqlClient client, Collection<Long> lotIds) {
        return client.preparedQuery("SELECT bucket_id, closed, claimed, taken_back, shortfall, cause FROM credit_lot_takeback WHERE bucket_id = ANY($1)")
                .execute(Tuple.of((Object) lotIds.toArray(Long[]::new))).map(rows -> {
                    Map<Long, State> out = new HashMap<>();
                    rows.forEach(r -> out.put(r.getLong(0), new State(r.getLong(0), r.getBoolean(1), r.getLong(2), r.getLong(3), r.getLong(4),
                            r.getString(5) == null ? null : LotTakeback.Cause.valueOf(r.getString(5)))));
                    return out;
                });
    }

    public Uni<State> state(SqlClient client, long lotId) {
        return states(client, java.util.List.of(lotId)).map(found -> found.getOrDefault(lotId, State.none(lotId)));
    }

    /** Keeps a lot's state; {@code reason} and {@code actedBy} of the step that changed it (kept when null). */
    public Uni<Void> save(SqlClient tx, String accountId, State s, String reason, String actedBy, Instant now) {
        return tx.preparedQuery("INSERT INTO credit_lot_takeback (bucket_id, account_id, closed, claimed, taken_back, shortfall, cause, reason, "
                        + "acted_by, closed_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CASE WHEN $3 THEN $10::timestamptz END, $10::timestamptz) "
                        + "ON CONFLICT (bucket_id) DO UPDATE SET closed = EXCLUDED.closed, claimed = EXCLUDED.claimed, taken_back = EXCLUDED.taken_back, "
                        + "shortfall = EXCLUDED.shortfall, cause = EXCLUDED.cause, reason = COALESCE(EXCLUDED.reason, credit_lot_takeback.reason), "
                        + "acted_by = COALESCE(EXCLUDED.acted_by, credit_lot_takeback.acted_by), "
                        + "closed_at = COALESCE(credit_lot_takeback.closed_at, EXCLUDED.closed_at), updated_at = EXCLUDED.updated_at")
                .execute(Tuple.from(java.util.Arrays.asList(s.lotId(), accountId, s.closed(), s.claimed(), s.takenBack(), s.shortfall(),
                        s.cause() == null ? null : s.cause().name(), reason, actedBy, at(now))))
                .replaceWithVoid();
    }

    private static Optional<GrantedLot> first(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        if (rows.size() == 0) {
            return Optional.empty();
        }
        Row r = rows.iterator().next();
        return Optional.of(new GrantedLot(r.getLong(0), r.getString(1), CreditBucketKind.valueOf(r.getString(2)), r.getLong(3), r.getString(4)));
    }
}
