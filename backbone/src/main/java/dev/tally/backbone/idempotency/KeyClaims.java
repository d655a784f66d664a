package dev.tally.backbone.idempotency;

import dev.tally.backbone.problem.ProblemException;
import dev.tally.backbone.tx.Tx;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.UUID;

/**
 * The claim of one Idempotency-Key, from taking it to its stored answer: taken, released and
 * replayed by single statements on the pool (outside any transaction, so a concurrent repeat sees
 * the claim at once), completed in the work's own transaction with the answer to replay.
 */
final class KeyClaims {
    /** A key is taken over only when its stored answer expired, or its first request died holding it past the lease. */
    private static final String CLAIM = """
            INSERT INTO idempotency_key AS k (scope, idem_key, request_hash, state, claim_token, claimed_at, expires_at)
            VALUES ($1, $2, $3, 'RUNNING', $4, clock_timestamp(), clock_timestamp() + $5 * interval '1 second')
            ON CONFLICT (scope, idem_key) DO UPDATE
               SET request_hash = excluded.request_hash, state = 'RUNNING', claim_token = excluded.claim_token,
                   claimed_at = excluded.claimed_at, expires_at = excluded.expires_at, response_status = NULL, response_body = NULL
             WHERE k.expires_at < clock_timestamp()
                OR (k.state = 'RUNNING' AND k.request_hash = excluded.request_hash
                    AND k.claimed_at < clock_timestamp() - $6 * interval '1 second')
            RETURNING claim_token""";
    private static final String COMPLETE = "UPDATE idempotency_key SET state = 'DONE', response_status = $4, response_body = $5 "
            + "WHERE scope = $1 AND idem_key = $2 AND claim_token = $3";

    private final Pool pool;
    private final IdempotencyConfig config;

    KeyClaims(Pool pool, IdempotencyConfig config) {
        this.pool = pool;
        this.config = config;
    }

    /** Takes the key for a request with this {@code hash} under {@code token}; false when another request holds it or answered it. */
    Uni<Boolean> take(String scope, String key, String hash, UUID token) {
        return pool.preparedQuery(CLAIM)
                .execute(Tuple.of(scope, key, hash, token, config.retention().toSeconds(), config.claimLease().toSeconds()))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Stores the answer in {@code tx}, the work's transaction; 409 when another request took the key over meanwhile. */
    Uni<StoredResponse> complete(Tx tx, String scope, String key, UUID token, StoredResponse response) {
        return tx.update(COMPLETE, scope, key, token, response.status(), response.body())
                .map(changed -> {
                    if (changed != 1) {
                        throw ProblemException.conflict("idempotency_request_in_progress",
                                "Another request with this Idempotency-Key took over; retry to get its answer.");
                    }
                    return response;
                });
    }

    /** Gives the key up (nothing was committed), so a retry runs the request again. */
    Uni<Void> release(String scope, String key, UUID token) {
        return pool.preparedQuery("DELETE FROM idempotency_key WHERE scope = $1 AND idem_key = $2 AND claim_token = $3 AND state = 'RUNNING'")
                .execute(Tuple.of(scope, key, token)).replaceWithVoid();
    }

    /** What a key held by another request answers: its stored answer replayed, or 409 while it runs, 422 for another request. */
    Uni<StoredResponse> existing(String scope, String key, String hash) {
        return pool.preparedQuery("SELECT request_hash, state, response_status, response_body FROM idempotency_key "
                        + "WHERE scope = $1 AND idem_key = $2")
                .execute(Tuple.of(scope, key))
                .map(rows -> {
                    Row row = rows.size() == 0 ? null : rows.iterator().next();
                    return row == null ? StoredResponse.replay(null, null, null, null, hash) : StoredResponse.replay(row.getString("request_hash"), row.getString("state"),
                            row.getInteger("response_status"), row.getString("response_body"), hash);
                });
    }
}
