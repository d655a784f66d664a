package dev.tally.backbone.idempotency;

import dev.tally.backbone.idempotency.IdempotentRequests.Answered;
import dev.tally.backbone.idempotency.IdempotentRequests.Claim;
import dev.tally.backbone.idempotency.IdempotentRequests.Claimed;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.backbone.tx.Tx;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The Idempotency-Key rows of requests that share one transaction (grouped debits): read together, stored together. */
final class GroupedAnswers {
    private static final String FIND_ALL = "SELECT scope, idem_key, request_hash, state, response_status, response_body, "
            + "expires_at < clock_timestamp() AS expired, "
            + "state = 'RUNNING' AND claimed_at < clock_timestamp() - $3 * interval '1 second' AS abandoned "
            + "FROM idempotency_key WHERE (scope, idem_key) IN (SELECT * FROM unnest($1::text[], $2::text[]))";
    /** The same rule as the single claim's, for a group: the expired or abandoned rows it takes over make way. */
    private static final String TAKE_OVER_ALL = """
            DELETE FROM idempotency_key k USING unnest($1::text[], $2::text[], $3::text[]) AS t(scope, idem_key, request_hash)
             WHERE k.scope = ANY($1) AND k.idem_key = ANY($2) AND k.scope = t.scope AND k.idem_key = t.idem_key
               AND (k.expires_at < clock_timestamp()
                    OR (k.state = 'RUNNING' AND k.request_hash = t.request_hash
                        AND k.claimed_at < clock_timestamp() - $4 * interval '1 second'))""";
    /** A group's answers, one row each; a key another transaction took meanwhile fails the whole group. */
    private static final String STORE_ALL = """
            INSERT INTO idempotency_key (scope, idem_key, request_hash, state, claim_token, claimed_at, expires_at,
                                         response_status, response_body)
            SELECT a.scope, a.idem_key, a.request_hash, 'DONE', $4, clock_timestamp(), clock_timestamp() + $5 * interval '1 second',
                   a.status, a.body
              FROM unnest($1::text[], $2::text[], $3::text[], $6::int[], $7::text[]) AS a(scope, idem_key, request_hash, status, body)""";

    private final IdempotencyConfig config;

    GroupedAnswers(IdempotencyConfig config) {
        this.config = config;
    }

    Uni<List<Claimed>> findAll(Tx tx, List<Claim> claims) {
        if (claims.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        String[] scopes = claims.stream().map(Claim::scope).toArray(String[]::new);
        String[] keys = claims.stream().map(Claim::key).toArray(String[]::new);
        return tx.rows(FIND_ALL, scopes, keys, config.claimLease().toSeconds()).map(found -> {
            Map<String, Object[]> earlier = new HashMap<>();
            found.forEach(r -> earlier.put(r[0] + "\n" + r[1], r));
            List<Claimed> out = new ArrayList<>();
            for (Claim c : claims) {
                Object[] row = earlier.get(c.scope() + "\n" + c.key());
                String hash = c.requestHash();
                if (row == null) {
                    out.add(Claimed.FREE);
                } else if ((Boolean) row[6] || ((Boolean) row[7] && hash.equals(row[2]))) {
                    out.add(new Claimed(true, null, null, true)); // as the single claim would take it over
                } else {
                    out.add(replayed(row, hash));
                }
            }
            return out;
        });
    }

    private static Claimed replayed(Object[] row, String hash) {
        try {
            return new Claimed(false, IdempotentRequests.replay((String) row[2], (String) row[3], (Integer) row[4], (String) row[5], hash),
                    null, false);
        } catch (ProblemException e) {
            return new Claimed(false, null, e, false);
        }
    }

    Uni<Void> storeAll(Tx tx, List<Answered> answered) {
        if (answered.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Answered> takingOver = answered.stream().filter(a -> a.found().takesOver()).toList();
        Uni<Void> madeWay = takingOver.isEmpty() ? Uni.createFrom().voidItem()
                : tx.update(TAKE_OVER_ALL, takingOver.stream().map(a -> a.claim().scope()).toArray(String[]::new),
                        takingOver.stream().map(a -> a.claim().key()).toArray(String[]::new),
                        takingOver.stream().map(a -> a.claim().requestHash()).toArray(String[]::new),
                        config.claimLease().toSeconds()).replaceWithVoid();
        Uni<Void> stored = Uni.createFrom().deferred(() -> tx.update(STORE_ALL,
                answered.stream().map(a -> a.claim().scope()).toArray(String[]::new),
                answered.stream().map(a -> a.claim().key()).toArray(String[]::new),
                answered.stream().map(a -> a.claim().requestHash()).toArray(String[]::new),
                UUID.randomUUID(), config.retention().toSeconds(),
                answered.stream().map(a -> a.answer().status()).toArray(Integer[]::new),
                answered.stream().map(a -> a.answer().body()).toArray(String[]::new))).replaceWithVoid();
        if (tx.onSession()) {
            return madeWay.chain(() -> stored); // a session runs one statement at a time
        }
        return Uni.combine().all().unis(madeWay, stored).discardItems(); // pipelined on the connection, in order
    }
}
