package dev.tally.credits.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.testsupport.TallyInfraResource;
import dev.tally.testsupport.TestTokens;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Benchmark, not a timed test: runs only with {@code -Dtally.bench=debits}. On one PostgreSQL (the
 * test's), round by round: pgbench {@code -N} with 16 clients (the baseline), then the debit API
 * closed-loop over many accounts with Idempotency-Keys (the maximum), open-loop at half that
 * maximum (latency from each request's scheduled time, so a stall counts against it), and one hot
 * account. Prints every round and the medians, the ratio to pgbench, and the mean debits per
 * shared transaction. At the end every account's balance must equal what it was granted less the
 * debits answered 201, and the ledger check must hold: it fails only on a wrong balance, never on speed.
 */
@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "credits"))
@EnabledIfSystemProperty(named = "tally.bench", matches = "debits")
class DebitThroughputBenchmark {
    private static final int ROUNDS = Integer.getInteger("tally.bench.rounds", 3);
    private static final int SECONDS = Integer.getInteger("tally.bench.seconds", 15);
    private static final int PGBENCH_SECONDS = Integer.getInteger("tally.bench.pgbench-seconds", 30);
    private static final int ACCOUNTS = Integer.getInteger("tally.bench.accounts", 2000);
    private static final int CONCURRENCY = Integer.getInteger("tally.bench.concurrency", 128);
    private static final long FUNDS = 1_000_000_000L;
    /** {@code http1} (a connection per request in flight) or {@code h2} (HTTP/2 cleartext, requests multiplexed on a few connections). */
    private static final String PROTOCOL = System.getProperty("tally.bench.protocol", "h2");

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;
    @ConfigProperty(name = "quarkus.datasource.username")
    String user;
    @ConfigProperty(name = "quarkus.datasource.password")
    java.util.Optional<String> passwordSetting;
    @Inject
    MeterRegistry metrics;

    private Vertx vertx;
    private HttpClient http;
    private final String service = TestTokens.bearer(TestTokens.service());
    private final Map<String, LongAdder> debited = new ConcurrentHashMap<>();
    private final LongAdder failures = new LongAdder();

    @Test
    void debitApiAgainstPgbench() throws Exception {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        HttpClientOptions options = new HttpClientOptions().setMaxPoolSize(512).setDefaultHost("127.0.0.1")
                .setDefaultPort(RestAssured.port).setPipelining(false);
        if (PROTOCOL.equals("h2")) {
            options.setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false)
                    .setHttp2MaxPoolSize(Integer.getInteger("tally.bench.connections", 4)).setHttp2MultiplexingLimit(CONCURRENCY);
        }
        http = vertx.createHttpClient(options);
        try {
            run();
        } finally {
            http.close();
            vertx.close();
        }
    }

    private String password;

    private void run() throws Exception {
        password = passwordSetting.orElse("");
        Pgbench pgbench = new Pgbench(jdbcUrl, user, password, PGBENCH_SECONDS);
        String pgDatabase = pgbench.database();
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            accounts.add("bench-" + UUID.randomUUID());
        }
        String hot = "bench-hot-" + UUID.randomUUID();
        fund(accounts);
        fund(List.of(hot));
        closedLoop(accounts, CONCURRENCY, SECONDS); // warm-up: connections, JIT; not reported
        closedLoop(List.of(hot), CONCURRENCY, 3);
        BenchCosts costs = new BenchCosts(jdbcUrl, user, password, metrics.find("tally.credits.debit.group.size").summary());
        double[] pg = new double[ROUNDS];
        double[] max = new double[ROUNDS];
        double[] hotRate = new double[ROUNDS];
        long[][] latencies = new long[ROUNDS][];
        for (int r = 0; r < ROUNDS; r++) {
            pg[r] = costs.pgbench(pgbench, pgDatabase);
            costs.start();
            max[r] = closedLoop(accounts, CONCURRENCY, SECONDS);
            costs.stop();
            System.out.printf("round %d: pgbench -N %.0f tps, debit API %.0f debits/s (ratio %.2f)%n", r + 1, pg[r], max[r], max[r] / pg[r]);
        }
        double half = BenchStats.median(max) / 2;
        for (int r = 0; r < ROUNDS; r++) {
            latencies[r] = openLoop(accounts, half, SECONDS);
            hotRate[r] = closedLoop(List.of(hot), CONCURRENCY, SECONDS);
            System.out.printf("round %d: at %.0f/s p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms; one hot account %.0f debits/s%n", r + 1, half,
                    BenchStats.ms(latencies[r], 0.50), BenchStats.ms(latencies[r], 0.99), BenchStats.ms(latencies[r], 0.999), hotRate[r]);
        }
        DistributionSummary groups = metrics.find("tally.credits.debit.group.size").summary();
        System.out.printf("%nDEBIT BENCHMARK (medians of %d rounds; same PostgreSQL, same machine)%n", ROUNDS);
        System.out.printf("  pgbench -N, 16 clients, %d s:         %,.0f tps%n", PGBENCH_SECONDS, BenchStats.median(pg));
        System.out.printf("  debit API, %s, %d in flight, %d accounts: %,.0f debits/s  (ratio %.2f; target >= 1.0)%n", PROTOCOL, CONCURRENCY, ACCOUNTS,
                BenchStats.median(max), BenchStats.median(max) / BenchStats.median(pg));
        System.out.printf("  open loop at %,.0f/s:                p50 %.2f ms, p99 %.2f ms (target < 25), p99.9 %.2f ms%n", half,
                BenchStats.medianOf(latencies, 0.50), BenchStats.medianOf(latencies, 0.99), BenchStats.medianOf(latencies, 0.999));
        System.out.printf("  one hot account:                     %,.0f debits/s (target >= 2,000)%n", BenchStats.median(hotRate));
        System.out.printf("  debits per shared transaction:       %.1f mean over %d transactions%n", groups.mean(), groups.count());
        var times = metrics.find("tally.credits.debit.group.time").timer();
        System.out.printf("  one shared transaction:              %.2f ms mean, %.1f ms max%n", times.mean(TimeUnit.MILLISECONDS),
                times.max(TimeUnit.MILLISECONDS));
        System.out.printf("  failed requests:                     %d%n", failures.sum());
        costs.print();
        checkBalances(accounts, hot);
    }

    // ---- the debit API

    private void fund(List<String> accounts) throws Exception {
        CountDownLatch done = new CountDownLatch(accounts.size());
        for (String acc : accounts) {
            send("/accounts/" + acc + "/credits/grants", TestTokens.bearer(TestTokens.admin()),
                    new JsonObject().put("credits", FUNDS).put("reason", "benchmark funds"))
                    .onComplete(ar -> {
                        if (ar.failed() || ar.result() != 201) {
                            failures.increment();
                        }
                        done.countDown();
                    });
        }
        assertTrue(done.await(120, TimeUnit.SECONDS), "funding did not finish");
        assertEquals(0, failures.sum(), "every account was funded");
    }

    private Future<Integer> debit(String account) {
        return send("/accounts/" + account + "/credits/debits", service, new JsonObject().put("amount", 1).put("reason", "bench"))
                .onSuccess(status -> {
                    if (status == 201) {
                        debited.computeIfAbsent(account, a -> new LongAdder()).increment();
                    } else {
                        failures.increment();
                    }
                })
                .onFailure(e -> failures.increment());
    }

    private Future<Integer> send(String path, String token, JsonObject body) {
        return http.request(HttpMethod.POST, path).compose(req -> req.putHeader("Authorization", token)
                .putHeader("Content-Type", "application/json").putHeader("Idempotency-Key", UUID.randomUUID().toString())
                .send(Buffer.buffer(body.encode())).compose(resp -> resp.body().map(b -> resp.statusCode())));
    }

    /** Debits with {@code concurrency} always in flight for {@code seconds}; debits answered per second. */
    private double closedLoop(List<String> accounts, int concurrency, int seconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        AtomicLong answered = new AtomicLong();
        CountDownLatch stopped = new CountDownLatch(concurrency);
        long start = System.nanoTime();
        for (int i = 0; i < concurrency; i++) {
            vertx.runOnContext(x -> loop(accounts, end, answered, stopped));
        }
        stopped.await(seconds + 60L, TimeUnit.SECONDS);
        return answered.get() / ((System.nanoTime() - start) / 1e9);
    }

    private void loop(List<String> accounts, long end, AtomicLong answered, CountDownLatch stopped) {
        if (System.nanoTime() >= end) {
            stopped.countDown();
            return;
        }
        debit(accounts.get(ThreadLocalRandom.current().nextInt(accounts.size()))).onComplete(ar -> {
            answered.incrementAndGet();
            loop(accounts, end, answered, stopped);
        });
    }

    /** Sends at a fixed rate whatever the answers do; each latency is counted from the request's scheduled time. */
    private long[] openLoop(List<String> accounts, double rate, int seconds) throws InterruptedException {
        int total = (int) (rate * seconds);
        long[] latencies = new long[total];
        CountDownLatch done = new CountDownLatch(total);
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
        int[] sent = {0};
        long timer = vertx.setPeriodic(1, id -> {
            long now = System.nanoTime();
            while (sent[0] < total && start + (long) (sent[0] * 1e9 / rate) <= now) {
                int i = sent[0]++;
                long scheduled = start + (long) (i * 1e9 / rate);
                debit(accounts.get(ThreadLocalRandom.current().nextInt(accounts.size()))).onComplete(ar -> {
                    latencies[i] = System.nanoTime() - scheduled;
                    done.countDown();
                });
            }
        });
        done.await(seconds + 120L, TimeUnit.SECONDS);
        vertx.cancelTimer(timer);
        return latencies;
    }

    // ---- exactness

    private void checkBalances(List<String> accounts, String hot) throws Exception {
        List<String> all = new ArrayList<>(accounts);
        all.add(hot);
        for (String acc : all) {
            long expected = FUNDS - debited.getOrDefault(acc, new LongAdder()).sum();
            long balance = RestAssured.given().header("Authorization", service).get("/accounts/{id}/credits", acc)
                    .then().statusCode(200).extract().jsonPath().getLong("available");
            assertEquals(expected, balance, acc + ": funds less the debits answered 201");
        }
        RestAssured.given().header("Authorization", TestTokens.bearer(TestTokens.admin())).get("/admin/ledger/check")
                .then().statusCode(200).body("holds", org.hamcrest.Matchers.equalTo(true));
        System.out.printf("  exactness: %d balances equal funds less debits; ledger check holds (no bucket negative, each the sum of its entries)%n",
                all.size());
    }
}
