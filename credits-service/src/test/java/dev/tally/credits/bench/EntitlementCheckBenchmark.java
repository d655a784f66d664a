package dev.tally.credits.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.testsupport.TallyInfraResource;
import dev.tally.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Benchmark, not a timed test: runs only with {@code -Dtally.bench=entitlements}. Seeds N accounts
 * (default 1,000) with a subscription's projection, terms and a SUBSCRIPTION bucket, then sends, from
 * this JVM to the service on 127.0.0.1 (HTTP/1.1, keep-alive, {@code concurrency} requests always in
 * flight, default 64), for {@code seconds} (default 5) per round and {@code rounds} (default 3):
 * the check of a plan feature going round all accounts (each read from the projection's row: the
 * in-memory entry of a second ago has lapsed unless the round is faster than N per second), the
 * same on 20 hot accounts (answered from memory), the check of {@code credits} (always the
 * database), and beside them the balance read
 * ({@code GET /accounts/{id}/credits}, which locks the account), {@code GET /admin/clock} (a token
 * verified, no database) and {@code /q/health/live} (no token, no database). Prints requests per second and p50/p99 (medians of the
 * rounds); asserts every answer was 200.
 */
@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "credits"))
@EnabledIfSystemProperty(named = "tally.bench", matches = "entitlements")
class EntitlementCheckBenchmark {
    private static final int ACCOUNTS = Integer.getInteger("tally.bench.accounts", 1000);
    private static final int CONCURRENCY = Integer.getInteger("tally.bench.concurrency", 64);
    private static final int SECONDS = Integer.getInteger("tally.bench.seconds", 5);
    private static final int ROUNDS = Integer.getInteger("tally.bench.rounds", 3);
    private static final int HOT = 20;

    @Inject
    Pool pool;
    @Inject
    TallyClock clock;
    private final String token = TestTokens.bearer(TestTokens.service());
    private final String admin = TestTokens.bearer(TestTokens.admin());
    private final LongAdder failures = new LongAdder();
    private Vertx vertx;
    private HttpClient http;

    @Test
    void theEntitlementCheckBesideTheBalanceReadAndALivenessProbe() throws Exception {
        String run = "ent-" + System.nanoTime() + "-";
        seed(run);
        List<String> accounts = new ArrayList<>();
        for (int i = 1; i <= ACCOUNTS; i++) {
            accounts.add(run + i);
        }
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        http = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(CONCURRENCY).setDefaultHost("127.0.0.1")
                .setDefaultPort(RestAssured.port).setKeepAlive(true));
        try {
            IntFunction<String> any = i -> accounts.get(ThreadLocalRandom.current().nextInt(accounts.size()));
            measure("warm-up (feature check)", i -> "/accounts/" + any.apply(i) + "/entitlements/pro-models", 1);
            System.out.printf("Entitlement check, %d accounts, %d in flight, %d rounds of %d s (medians):%n", ACCOUNTS, CONCURRENCY, ROUNDS, SECONDS);
            measure("GET .../entitlements/pro-models (row)", i -> "/accounts/" + accounts.get(i % accounts.size()) + "/entitlements/pro-models",
                    ROUNDS);
            measure("GET .../entitlements/pro-models (hot, memory)", i -> "/accounts/" + accounts.get(i % HOT) + "/entitlements/pro-models",
                    ROUNDS);
            measure("GET .../entitlements/credits", i -> "/accounts/" + any.apply(i) + "/entitlements/credits", ROUNDS);
            measure("baseline GET .../credits (balance)", i -> "/accounts/" + any.apply(i) + "/credits", ROUNDS);
            measure("baseline GET /admin/clock (token, no db)", i -> "/admin/clock", ROUNDS);
            measure("baseline GET /q/health/live", i -> "/q/health/live", ROUNDS);
        } finally {
            http.close();
            vertx.close();
        }
        assertEquals(0, failures.sum(), "every answer 200");
    }

    private void seed(String run) {
        var now = clock.instant().atOffset(ZoneOffset.UTC);
        sql("INSERT INTO credit_account (account_id, period_start, period_end, credits_per_period, credit_period, subscription_revision, updated_at) "
                + "SELECT $1 || g, $2::timestamptz - interval '5 days', $2::timestamptz + interval '25 days', 5000, 'MONTH', 1, $2 "
                + "FROM generate_series(1, $3) g", run, now, ACCOUNTS);
        sql("INSERT INTO credit_bucket (account_id, kind, remaining, expires_at, created_at) "
                + "SELECT $1 || g, 'SUBSCRIPTION', 5000, $2::timestamptz + interval '25 days', $2 FROM generate_series(1, $3) g", run, now, ACCOUNTS);
        sql("INSERT INTO entitlement (account_id, subscription_id, plan_code, plan_version, features, seats, billing_mode, period_start, "
                + "period_end, cancel_at_period_end, revision, updated_at) SELECT $1 || g, gen_random_uuid(), 'pro', 1, "
                + "ARRAY['pro-models', 'team-collaboration'], 5, 'IN_ADVANCE', $2::timestamptz - interval '5 days', "
                + "$2::timestamptz + interval '25 days', false, 1, $2 FROM generate_series(1, $3) g", run, now, ACCOUNTS);
        sql("ANALYZE entitlement");
        sql("ANALYZE credit_bucket");
    }

    private void measure(String what, IntFunction<String> path, int rounds) throws InterruptedException {
        double[] rates = new double[rounds];
        double[] p50 = new double[rounds];
        double[] p99 = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
            CountDownLatch stopped = new CountDownLatch(CONCURRENCY);
            AtomicInteger seq = new AtomicInteger();
            long start = System.nanoTime();
            for (int i = 0; i < CONCURRENCY; i++) {
                vertx.runOnContext(x -> loop(path, seq, end, latencies, stopped));
            }
            stopped.await(SECONDS + 60L, TimeUnit.SECONDS);
            rates[r] = latencies.size() / ((System.nanoTime() - start) / 1e9);
            long[] l = latencies.stream().mapToLong(Long::longValue).toArray();
            p50[r] = BenchStats.ms(l, 0.50);
            p99[r] = BenchStats.ms(l, 0.99);
        }
        System.out.printf("  %-40s %9.0f req/s   p50 %6.2f ms   p99 %6.2f ms%n", what, BenchStats.median(rates), BenchStats.median(p50),
                BenchStats.median(p99));
    }

    private void loop(IntFunction<String> path, AtomicInteger seq, long end, List<Long> latencies, CountDownLatch stopped) {
        long sent = System.nanoTime();
        if (sent >= end) {
            stopped.countDown();
            return;
        }
        get(path.apply(seq.incrementAndGet())).onComplete(ar -> {
            if (ar.failed() || ar.result() != 200) {
                failures.increment();
            }
            latencies.add(System.nanoTime() - sent);
            loop(path, seq, end, latencies, stopped);
        });
    }

    private Future<Integer> get(String path) {
        String bearer = path.startsWith("/admin/") ? admin : token;
        return http.request(HttpMethod.GET, path).compose(req -> req.putHeader("Authorization", bearer).send()
                .compose(resp -> resp.body().map(b -> resp.statusCode())));
    }

    private void sql(String statement, Object... params) {
        pool.preparedQuery(statement).execute(Tuple.from(params)).await().atMost(Duration.ofMinutes(2));
    }
}
