package dev.tally.backbone.idempotency;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.backbone.problem.Problem;
import dev.tally.backbone.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Runs a state-changing request at most once per Idempotency-Key. The key is first claimed (its own
 * short statement, so a concurrent repeat sees it and gets 409); the request's work and the stored
 * response then commit in one transaction, so a crash either leaves nothing (the claim is retaken
 * after its lease) or the answer to replay. A repeat with another body is 422. Problems (4xx) are
 * stored and replayed too; unexpected failures release the claim, since nothing was committed.
 */
@ApplicationScoped
public class IdempotentRequests {
    /** A key is taken over only when its stored answer expired, or its first request died holding it past the lease. */
    private static final String TAKE_OVER = """
            ON CONFLICT (scope, idem_key) DO UPDATE
               SET request_hash = excluded.request_hash, state = 'RUNNING', claim_token = excluded.claim_token,
                   claimed_at = excluded.claimed_at, expires_at = excluded.expires_at, response_status = NULL, response_body = NULL
             WHERE k.expires_at < clock_timestamp()
                OR (k.state = 'RUNNING' AND k.request_hash = excluded.request_hash
                    AND k.claimed_at < clock_timestamp() - $6 * interval '1 second')
            """;
    private static final String CLAIM = """
            INSERT INTO idempotency_key AS k (scope, idem_key, request_hash, state, claim_token, claimed_at, expires_at)
            VALUES ($1, $2, $3, 'RUNNING', $4, clock_timestamp(), clock_timestamp() + $5 * interval '1 second')
            """ + TAKE_OVER + "RETURNING claim_token";
    private static final String CLAIM_ALL = """
            INSERT INTO idempotency_key AS k (scope, idem_key, request_hash, state, claim_token, claimed_at, expires_at)
            SELECT c.scope, c.idem_key, c.request_hash, 'RUNNING', $4, clock_timestamp(), clock_timestamp() + $5 * interval '1 second'
              FROM unnest($1::text[], $2::text[], $3::text[]) AS c(scope, idem_key, request_hash)
            """ + TAKE_OVER + "RETURNING scope, idem_key";
    private static final String COMPLETE = "UPDATE idempotency_key SET state = 'DONE', response_status = $4, response_body = $5 "
            + "WHERE scope = $1 AND idem_key = $2 AND claim_token = $3";

    private final Pool pool;
    private final ObjectMapper json;
    private final IdempotencyConfig config;

    public IdempotentRequests(Pool pool, ObjectMapper json, IdempotencyConfig config) {
        this.pool = pool;
        this.json = json;
        this.config = config;
    }

    /**
     * @param scope   whose keys these are (the account id)
     * @param key     the Idempotency-Key header, or null to run without one
     * @param request what identifies the request besides the key: method, path and body
     * @param work    the state change, on the transaction that will also store its response
     */
    public Uni<StoredResponse> run(String scope, String key, Object request, Function<SqlConnection, Uni<Answer>> work) {
        if (key == null) {
            return pool.withTransaction(work::apply).map(this::stored);
        }
        ProblemException badKey = keyProblem(key);
        if (badKey != null) {
            return Uni.createFrom().failure(badKey);
        }
        String hash = hash(request);
        UUID token = UUID.randomUUID();
        return pool.preparedQuery(CLAIM)
                .execute(Tuple.of(scope, key, hash, token, config.retention().toSeconds(), config.claimLease().toSeconds()))
                .flatMap(rows -> rows.rowCount() == 1
                        ? runClaimed(scope, key, token, work)
                        : existing(scope, key, hash));
    }

    private Uni<StoredResponse> runClaimed(String scope, String key, UUID token, Function<SqlConnection, Uni<Answer>> work) {
        return pool.withTransaction(tx -> work.apply(tx).flatMap(answer -> complete(tx, scope, key, token, stored(answer))))
                .onFailure(ProblemException.class).recoverWithUni(e -> {
                    Problem problem = ((ProblemException) e).problem();
                    if (problem.status() >= 500) {
                        return release(scope, key, token).replaceWith(Uni.createFrom().failure(e));
                    }
                    return pool.withTransaction(tx -> complete(tx, scope, key, token,
                            new StoredResponse(problem.status(), encode(problem), false)));
                })
                .onFailure(e -> !(e instanceof ProblemException))
                .call(e -> release(scope, key, token));
    }

    private Uni<StoredResponse> complete(SqlConnection tx, String scope, String key, UUID token, StoredResponse response) {
        return tx.preparedQuery(COMPLETE).execute(Tuple.of(scope, key, token, response.status(), response.body()))
                .map(rows -> {
                    if (rows.rowCount() != 1) {
                        throw ProblemException.conflict("idempotency_request_in_progress",
                                "Another request with this Idempotency-Key took over; retry to get its answer.");
                    }
                    return response;
                });
    }

    private Uni<Void> release(String scope, String key, UUID token) {
        return pool.preparedQuery("DELETE FROM idempotency_key WHERE scope = $1 AND idem_key = $2 AND claim_token = $3 AND state = 'RUNNING'")
                .execute(Tuple.of(scope, key, token)).replaceWithVoid();
    }

    private Uni<StoredResponse> existing(String scope, String key, String hash) {
        return pool.preparedQuery("SELECT request_hash, state, response_status, response_body FROM idempotency_key "
                        + "WHERE scope = $1 AND idem_key = $2")
                .execute(Tuple.of(scope, key))
                .map(rows -> replay(rows.size() == 0 ? null : rows.iterator().next(), hash));
    }

    /** The stored answer to replay for a key claimed before; a problem when it is still running or held another request. */
    private static StoredResponse replay(Row row, String hash) {
        if (row == null) {
            throw ProblemException.conflict("idempotency_request_in_progress",
                    "A request with this Idempotency-Key is still running; retry shortly.");
        }
        if (!hash.equals(row.getString("request_hash"))) {
            throw ProblemException.unprocessable("idempotency_key_reused",
                    "This Idempotency-Key was used with a different request.");
        }
        if ("RUNNING".equals(row.getString("state"))) {
            throw ProblemException.conflict("idempotency_request_in_progress",
                    "A request with this Idempotency-Key is still running; retry shortly.");
        }
        return new StoredResponse(row.getInteger("response_status"), row.getString("response_body"), true);
    }

    /** Why an Idempotency-Key header cannot be used (null when it can, or when there is none). */
    public static ProblemException keyProblem(String key) {
        return key != null && (key.isBlank() || key.length() > 255)
                ? ProblemException.invalidField("Idempotency-Key", "must be 1 to 255 characters") : null;
    }

    /** One request of a group claimed together: its scope, key and what identifies it besides the key. */
    public record Claim(String scope, String key, Object request) {
    }

    /** What a group claim found for one request: claimed (run it), or an answer to replay, or a problem (409, 422). */
    public record Claimed(boolean run, StoredResponse replay, ProblemException problem) {
    }

    /**
     * Claims a group of keys inside the caller's transaction, in one statement: used where many
     * requests share a transaction (grouped debits). The claim commits with the work and the
     * answers ({@link #completeAll}), so a crash leaves nothing claimed. The keys must be distinct.
     */
    public Uni<List<Claimed>> claimAll(SqlConnection tx, List<Claim> claims) {
        if (claims.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        String[] scopes = claims.stream().map(Claim::scope).toArray(String[]::new);
        String[] keys = claims.stream().map(Claim::key).toArray(String[]::new);
        String[] hashes = claims.stream().map(c -> hash(c.request())).toArray(String[]::new);
        return tx.preparedQuery(CLAIM_ALL).execute(Tuple.of(scopes, keys, hashes, UUID.randomUUID(),
                        config.retention().toSeconds(), config.claimLease().toSeconds()))
                .flatMap(rows -> {
                    Set<String> won = new HashSet<>();
                    rows.forEach(r -> won.add(r.getString(0) + "\n" + r.getString(1)));
                    if (won.size() == claims.size()) {
                        return Uni.createFrom().item(claims.stream().map(c -> new Claimed(true, null, null)).toList());
                    }
                    return tx.preparedQuery("SELECT scope, idem_key, request_hash, state, response_status, response_body FROM idempotency_key "
                                    + "WHERE (scope, idem_key) IN (SELECT * FROM unnest($1::text[], $2::text[]))")
                            .execute(Tuple.of(scopes, keys)).map(found -> {
                                Map<String, Row> earlier = new HashMap<>();
                                found.forEach(r -> earlier.put(r.getString("scope") + "\n" + r.getString("idem_key"), r));
                                List<Claimed> out = new ArrayList<>();
                                for (int i = 0; i < claims.size(); i++) {
                                    String id = scopes[i] + "\n" + keys[i];
                                    out.add(won.contains(id) ? new Claimed(true, null, null) : replayed(earlier.get(id), hashes[i]));
                                }
                                return out;
                            });
                });
    }

    private static Claimed replayed(Row row, String hash) {
        try {
            return new Claimed(false, replay(row, hash), null);
        } catch (ProblemException e) {
            return new Claimed(false, null, e);
        }
    }

    /** Stores the answers of claimed requests (same order as {@code claims}), in the transaction that claimed them. */
    public Uni<Void> completeAll(SqlConnection tx, List<Claim> claims, List<StoredResponse> answers) {
        if (claims.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("UPDATE idempotency_key k SET state = 'DONE', response_status = d.status, response_body = d.body "
                        + "FROM unnest($1::text[], $2::text[], $3::int[], $4::text[]) AS d(scope, idem_key, status, body) "
                        + "WHERE k.scope = d.scope AND k.idem_key = d.idem_key")
                .execute(Tuple.of(claims.stream().map(Claim::scope).toArray(String[]::new),
                        claims.stream().map(Claim::key).toArray(String[]::new),
                        answers.stream().map(StoredResponse::status).toArray(Integer[]::new),
                        answers.stream().map(StoredResponse::body).toArray(String[]::new)))
                .replaceWithVoid();
    }

    /** The stored form of an answer. */
    public StoredResponse answer(Answer answer) {
        return stored(answer);
    }

    /** The stored form of a problem (4xx), as a request that failed with it would be stored. */
    public StoredResponse answer(Problem problem) {
        return new StoredResponse(problem.status(), encode(problem), false);
    }

    private StoredResponse stored(Answer answer) {
        return new StoredResponse(answer.status(), encode(answer.body()), false);
    }

    private String encode(Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (Exception e) {
            throw new IllegalStateException("cannot encode a response", e);
        }
    }

    private String hash(Object request) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(encode(request).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The status and body a request's work answers with. */
    public record Answer(int status, Object body) {
        public static Answer ok(Object body) {
            return new Answer(200, body);
        }

        public static Answer created(Object body) {
            return new Answer(201, body);
        }
    }
}
