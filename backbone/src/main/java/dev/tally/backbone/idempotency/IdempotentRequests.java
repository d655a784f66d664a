package dev.tally.backbone.idempotency;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.backbone.problem.Problem;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.backbone.tx.Transactions;
import dev.tally.backbone.tx.Tx;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
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
 * <p>Claim, release and replay are single statements on the pool, outside any transaction: call {@code run}
 * with none open; it opens the work's, of the {@link Tx.Kind} named (SESSION: Panache, CONNECTION: native).
 */
@ApplicationScoped
public class IdempotentRequests {
    private final Transactions transactions;
    private final ObjectMapper json;
    private final KeyClaims claims;
    private final GroupedAnswers groups;

    public IdempotentRequests(Pool pool, Transactions transactions, ObjectMapper json, IdempotencyConfig config) {
        this.transactions = transactions;
        this.json = json;
        this.claims = new KeyClaims(pool, config);
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
        return claims.take(scope, key, hash, token)
                .flatMap(taken -> taken ? runClaimed(kind, scope, key, token, prepare, work) : claims.existing(scope, key, hash));
    }

    private <P> Uni<StoredResponse> runClaimed(Tx.Kind kind, String scope, String key, UUID token, Supplier<Uni<P>> prepare,
                                               BiFunction<Tx, P, Uni<Answer>> work) {
        return Uni.createFrom().<P>deferred(prepare::get)
                .flatMap(p -> transactions.open(kind, tx -> work.apply(tx, p).flatMap(answer -> claims.complete(tx, scope, key, token, stored(answer)))))
                .onFailure(ProblemException.class).recoverWithUni(e -> {
                    Problem problem = ((ProblemException) e).problem();
                    if (problem.status() >= 500) {
                        return claims.release(scope, key, token).replaceWith(Uni.createFrom().failure(e));
                    }
                    return transactions.onConnection(tx -> claims.complete(tx, scope, key, token,
                            new StoredResponse(problem.status(), encode(problem), false)));
                })
                .onFailure(e -> !(e instanceof ProblemException))
                .call(e -> claims.release(scope, key, token));
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

    /**
     * Stores the answers of the requests {@link #findAll} let run, in that transaction. Fails (and so
     * must roll the transaction back) when another transaction took one of the keys meanwhile.
     */
    public Uni<Void> storeAll(Tx tx, List<Answered> answered) {
        return groups.storeAll(tx, answered);
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
