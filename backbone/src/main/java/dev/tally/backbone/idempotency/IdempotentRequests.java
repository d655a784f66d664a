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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

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
    /** The same rule as {@link #CLAIM}'s, for a group: the expired or abandoned rows it takes over make way. */
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
        return run(scope, key, request, () -> Uni.createFrom().nullItem(), (tx, nothing) -> work.apply(tx));
    }

    /**
     * As {@link #run(String, String, Object, Function)}, with a first step that runs once the key is
     * claimed and before the transaction opens: remote calls (another service, a payment provider)
     * belong there, so no transaction and no row lock is held while a neighbour answers. Its problems
     * (4xx) are stored and replayed like the work's.
     *
     * @param prepare what the work needs from outside this database (no transaction is open)
     * @param work    the state change, given what {@code prepare} found, on the transaction that stores the response
     */
    public <P> Uni<StoredResponse> run(String scope, String key, Object request, Supplier<Uni<P>> prepare,
                                       BiFunction<SqlConnection, P, Uni<Answer>> work) {
        if (key == null) {
            return Uni.createFrom().<P>deferred(prepare::get).flatMap(p -> pool.withTransaction(tx -> work.apply(tx, p))).map(this::stored);
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
                        ? runClaimed(scope, key, token, prepare, work)
                        : existing(scope, key, hash));
    }

    private <P> Uni<StoredResponse> runClaimed(String scope, String key, UUID token, Supplier<Uni<P>> prepare,
                                               BiFunction<SqlConnection, P, Uni<Answer>> work) {
        return Uni.createFrom().<P>deferred(prepare::get)
                .flatMap(p -> pool.withTransaction(tx -> work.apply(tx, p).flatMap(answer -> complete(tx, scope, key, token, stored(answer)))))
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

    /** Why an Idempotency-Key header cannot be used (null when it can, or when there is none): {@link IdempotencyKeyCheck#problem}. */
    public static ProblemException keyProblem(String key) {
        return IdempotencyKeyCheck.problem(key);
    }

    /** One request of a group answered together: its scope, key and the hash of what identifies it besides the key. */
    public record Claim(String scope, String key, String requestHash) {
    }

    /** The claim of a request that will share a transaction; {@code request} is hashed here, once. */
    public Claim claim(String scope, String key, Object request) {
        return new Claim(scope, key, hash(request));
    }

    /** What a group found for one request: run it (taking over an expired or abandoned key), or an answer to replay, or a problem (409, 422). */
    public record Claimed(boolean run, StoredResponse replay, ProblemException problem, boolean takesOver) {
        /** A key nobody holds. */
        public static final Claimed FREE = new Claimed(true, null, null, false);
    }

    /** A request of a group that ran, with what {@link #findAll} found for it and its answer. */
    public record Answered(Claim claim, Claimed found, StoredResponse answer) {
    }

    /**
     * For requests that share one transaction (grouped debits): reads what each key already holds, in
     * one statement and without writing. A key that is free, expired or abandoned past the lease is
     * to run; the others replay their stored answer or get their problem. The caller then runs the
     * requests and stores every answer with {@link #storeAll} in the same transaction, one row per
     * key; a key another transaction took meanwhile makes that statement fail, so nothing commits.
     */
    public Uni<List<Claimed>> findAll(SqlConnection tx, List<Claim> claims) {
        if (claims.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        String[] scopes = claims.stream().map(Claim::scope).toArray(String[]::new);
        String[] keys = claims.stream().map(Claim::key).toArray(String[]::new);
        return tx.preparedQuery("SELECT scope, idem_key, request_hash, state, response_status, response_body, "
                        + "expires_at < clock_timestamp() AS expired, "
                        + "state = 'RUNNING' AND claimed_at < clock_timestamp() - $3 * interval '1 second' AS abandoned "
                        + "FROM idempotency_key WHERE (scope, idem_key) IN (SELECT * FROM unnest($1::text[], $2::text[]))")
                .execute(Tuple.of(scopes, keys, config.claimLease().toSeconds()))
                .map(found -> {
                    Map<String, Row> earlier = new HashMap<>();
                    found.forEach(r -> earlier.put(r.getString("scope") + "\n" + r.getString("idem_key"), r));
                    List<Claimed> out = new ArrayList<>();
                    for (Claim c : claims) {
                        Row row = earlier.get(c.scope() + "\n" + c.key());
                        String hash = c.requestHash();
                        if (row == null) {
                            out.add(Claimed.FREE);
                        } else if (row.getBoolean("expired") || (row.getBoolean("abandoned") && hash.equals(row.getString("request_hash")))) {
                            out.add(new Claimed(true, null, null, true)); // as CLAIM would take it over
                        } else {
                            out.add(replayed(row, hash));
                        }
                    }
                    return out;
                });
    }

    private static Claimed replayed(Row row, String hash) {
        try {
            return new Claimed(false, replay(row, hash), null, false);
        } catch (ProblemException e) {
            return new Claimed(false, null, e, false);
        }
    }

    /**
     * Stores the answers of the requests {@link #findAll} let run, in that transaction. Fails (and so
     * must roll the transaction back) when another transaction took one of the keys meanwhile.
     */
    public Uni<Void> storeAll(SqlConnection tx, List<Answered> answered) {
        if (answered.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Answered> takingOver = answered.stream().filter(a -> a.found().takesOver()).toList();
        Uni<Void> madeWay = takingOver.isEmpty() ? Uni.createFrom().voidItem()
                : tx.preparedQuery(TAKE_OVER_ALL).execute(Tuple.of(takingOver.stream().map(a -> a.claim().scope()).toArray(String[]::new),
                        takingOver.stream().map(a -> a.claim().key()).toArray(String[]::new),
                        takingOver.stream().map(a -> a.claim().requestHash()).toArray(String[]::new),
                        config.claimLease().toSeconds())).replaceWithVoid();
        Uni<Void> stored = tx.preparedQuery(STORE_ALL)
                .execute(Tuple.tuple().addValue(answered.stream().map(a -> a.claim().scope()).toArray(String[]::new))
                        .addValue(answered.stream().map(a -> a.claim().key()).toArray(String[]::new))
                        .addValue(answered.stream().map(a -> a.claim().requestHash()).toArray(String[]::new))
                        .addValue(UUID.randomUUID()).addValue(config.retention().toSeconds())
                        .addValue(answered.stream().map(a -> a.answer().status()).toArray(Integer[]::new))
                        .addValue(answered.stream().map(a -> a.answer().body()).toArray(String[]::new)))
                .replaceWithVoid();
        return Uni.combine().all().unis(madeWay, stored).discardItems(); // pipelined, in order
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
