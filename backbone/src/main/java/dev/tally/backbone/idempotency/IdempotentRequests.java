package dev.tally.backbone.idempotency;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.backbone.problem.Problem;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.backbone.tx.Transactions;
import dev.tally.backbone.tx.Tx;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
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
 *
 * <p>The claim, its release and a replay are single statements on the pool, outside any
 * transaction: call {@code run} with no transaction open. It opens the work's transaction itself, of
 * the {@link Tx.Kind} named: {@code SESSION} for work on Panache entities, {@code CONNECTION} for
 * native work.
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
    private static final String COMPLETE = "UPDATE idempotency_key SET state = 'DONE', response_status = $4, response_body = $5 "
            + "WHERE scope = $1 AND idem_key = $2 AND claim_token = $3";

    private final Pool pool;
    private final Transactions transactions;
    private final ObjectMapper json;
    private final IdempotencyConfig config;
    private final GroupedAnswers groups;

    public IdempotentRequests(Pool pool, Transactions transactions, ObjectMapper json, IdempotencyConfig config) {
        this.pool = pool;
        this.transactions = transactions;
        this.json = json;
        this.config = config;
        this.groups = new GroupedAnswers(config);
    }

    /**
     * @param scope   whose keys these are (the account id)
     * @param key     the Idempotency-Key header, or null to run without one
     * @param request what identifies the request besides the key: method, path and body
     * @param kind    the kind of transaction the work runs in (a Hibernate session's, or a pooled connection's)
     * @param work    the state change, in the transaction that will also store its response
     */
    public Uni<StoredResponse> run(Tx.Kind kind, String scope, String key, Object request, Function<Tx, Uni<Answer>> work) {
        return run(kind, scope, key, request, () -> Uni.createFrom().nullItem(), (tx, nothing) -> work.apply(tx));
    }

    /** @deprecated name the transaction: {@link #run(Tx.Kind, String, String, Object, Function)}. */
    @Deprecated
    public Uni<StoredResponse> run(String scope, String key, Object request, Function<SqlConnection, Uni<Answer>> work) {
        return run(Tx.Kind.CONNECTION, scope, key, request, tx -> work.apply(tx.connection()));
    }

    /** @deprecated name the transaction: {@link #run(Tx.Kind, String, String, Object, Supplier, BiFunction)}. */
    @Deprecated
    public <P> Uni<StoredResponse> run(String scope, String key, Object request, Supplier<Uni<P>> prepare,
                                       BiFunction<SqlConnection, P, Uni<Answer>> work) {
        return run(Tx.Kind.CONNECTION, scope, key, request, prepare, (tx, p) -> work.apply(tx.connection(), p));
    }

    /**
     * As {@link #run(Tx.Kind, String, String, Object, Function)}, with a first step that runs once the key is
     * claimed and before the transaction opens: remote calls (another service, a payment provider)
     * belong there, so no transaction and no row lock is held while a neighbour answers. Its problems
     * (4xx) are stored and replayed like the work's.
     *
     * @param prepare what the work needs from outside this database (no transaction is open)
     * @param work    the state change, given what {@code prepare} found, on the transaction that stores the response
     */
    public <P> Uni<StoredResponse> run(Tx.Kind kind, String scope, String key, Object request, Supplier<Uni<P>> prepare,
                                       BiFunction<Tx, P, Uni<Answer>> work) {
        if (key == null) {
            return Uni.createFrom().<P>deferred(prepare::get).flatMap(p -> transactions.open(kind, tx -> work.apply(tx, p))).map(this::stored);
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
                        ? runClaimed(kind, scope, key, token, prepare, work)
                        : existing(scope, key, hash));
    }

    private <P> Uni<StoredResponse> runClaimed(Tx.Kind kind, String scope, String key, UUID token, Supplier<Uni<P>> prepare,
                                               BiFunction<Tx, P, Uni<Answer>> work) {
        return Uni.createFrom().<P>deferred(prepare::get)
                .flatMap(p -> transactions.open(kind, tx -> work.apply(tx, p).flatMap(answer -> complete(tx, scope, key, token, stored(answer)))))
                .onFailure(ProblemException.class).recoverWithUni(e -> {
                    Problem problem = ((ProblemException) e).problem();
                    if (problem.status() >= 500) {
                        return release(scope, key, token).replaceWith(Uni.createFrom().failure(e));
                    }
                    return transactions.onConnection(tx -> complete(tx, scope, key, token,
                            new StoredResponse(problem.status(), encode(problem), false)));
                })
                .onFailure(e -> !(e instanceof ProblemException))
                .call(e -> release(scope, key, token));
    }

    private Uni<StoredResponse> complete(Tx tx, String scope, String key, UUID token, StoredResponse response) {
        return tx.update(COMPLETE, scope, key, token, response.status(), response.body())
                .map(changed -> {
                    if (changed != 1) {
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
                .map(rows -> {
                    Row row = rows.size() == 0 ? null : rows.iterator().next();
                    return row == null ? replay(null, null, null, null, hash) : replay(row.getString("request_hash"), row.getString("state"),
                            row.getInteger("response_status"), row.getString("response_body"), hash);
                });
    }

    /** The stored answer to replay for a key claimed before; a problem when it is still running or held another request. */
    static StoredResponse replay(String requestHash, String state, Integer status, String body, String hash) {
        if (requestHash == null) {
            throw ProblemException.conflict("idempotency_request_in_progress",
                    "A request with this Idempotency-Key is still running; retry shortly.");
        }
        if (!hash.equals(requestHash)) {
            throw ProblemException.unprocessable("idempotency_key_reused",
                    "This Idempotency-Key was used with a different request.");
        }
        if ("RUNNING".equals(state)) {
            throw ProblemException.conflict("idempotency_request_in_progress",
                    "A request with this Idempotency-Key is still running; retry shortly.");
        }
        return new StoredResponse(status, body, true);
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
    public Uni<List<Claimed>> findAll(Tx tx, List<Claim> claims) {
        return groups.findAll(tx, claims);
    }

    /** @deprecated take the {@link Tx}: {@link #findAll(Tx, List)}. */
    @Deprecated
    public Uni<List<Claimed>> findAll(SqlConnection tx, List<Claim> claims) {
        return findAll(Tx.of(tx), claims);
    }

    /**
     * Stores the answers of the requests {@link #findAll} let run, in that transaction. Fails (and so
     * must roll the transaction back) when another transaction took one of the keys meanwhile.
     */
    public Uni<Void> storeAll(Tx tx, List<Answered> answered) {
        return groups.storeAll(tx, answered);
    }

    /** @deprecated take the {@link Tx}: {@link #storeAll(Tx, List)}. */
    @Deprecated
    public Uni<Void> storeAll(SqlConnection tx, List<Answered> answered) {
        return storeAll(Tx.of(tx), answered);
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
