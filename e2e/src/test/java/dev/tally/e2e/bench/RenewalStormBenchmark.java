package dev.tally.e2e.bench;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.e2e.Suite;
import dev.tally.e2e.Suite.Service;
import dev.tally.testsupport.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Benchmark, not a timed test: runs only with {@code -Dtally.bench=renewals}. Puts N accounts
 * (default 100,000; {@code -Dtally.bench.n}) on a paid monthly plan at the same instant (the first
 * {@code tally.bench.api-seeded}, default 2,000, through the API, the rest copied from them in bulk SQL), so their
 * period ends fall due together, then moves the suite's clock past it and measures the time until
 * subscriptions-service has renewed every one and credits-service has reset every one's
 * subscription credits (forfeit and new grant), with one scheduler replica and then, on a second
 * batch due later, with three. Beside each it prints the floor: one bulk SQL statement that makes
 * the same change to the same subscription rows (rolled back), and the ratio. It then waits and
 * checks there are exactly N renewals and N resets per batch, no more and no fewer.
 */
@EnabledIfSystemProperty(named = "tally.bench", matches = "renewals")
class RenewalStormBenchmark {
    private static final int N = Integer.getInteger("tally.bench.n", 100_000);
    private static final int CONCURRENCY = Integer.getInteger("tally.bench.concurrency", 32);
    /** Accounts seeded through the API per batch; the rest are copies of them (SeedCopies). */
    private static final int THROUGH_API = Math.min(N, Integer.getInteger("tally.bench.api-seeded", 2_000));
    /** Subscriptions of the warm-up storm run before the measured ones ({@code -Dtally.bench.warmup=0}: none, a cold start). */
    private static final int WARMUP = Integer.getInteger("tally.bench.warmup", Math.min(N, 20_000));
    private static final Instant T0 = Instant.parse("2031-01-01T00:00:00Z");
    private static final Duration SECOND_BATCH = Duration.ofDays(10);

    private final Suite suite = Suite.get();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    private final String admin = TestTokens.bearer(TestTokens.admin());

    @Test
    void renewalsAndCreditResetsOfNSubscriptionsDueAtOnce() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        String three = "storm3-" + run + "-";
        String one = "storm1-" + run + "-";
        suite.setClock(T0);
        List<String> templatesThree = seed(three);
        suite.setClock(T0.plus(SECOND_BATCH));
        List<String> templatesOne = seed(one);
        awaitTimers(2L * THROUGH_API);
        SeedCopies copies = new SeedCopies(suite);
        if (N > THROUGH_API) {
            long started = System.nanoTime();
            String wrote = copies.copy(templatesThree, N - THROUGH_API, "", Duration.ZERO) + "; "
                    + copies.copy(templatesOne, N - THROUGH_API, "", Duration.ZERO);
            System.out.printf("copied the seeded accounts to %,d per batch in %.1f s (%s)%n", N, (System.nanoTime() - started) / 1e9, wrote);
            awaitTimers(2L * N);
        }
        // the suite's clocks run while seeding, so period ends spread over the seeding time: the
        // clock then jumps past the last of them, and the scheduler finds all N due at once
        Instant dueThree = periodEnd(three, "min");
        Instant dueOne = periodEnd(one, "min");
        suite.startSchedulerReplica(T0.plus(SECOND_BATCH));
        suite.startSchedulerReplica(T0.plus(SECOND_BATCH));

        // warm-up: a storm of copies due five days earlier, so the JIT has compiled the renewal path of
        // every service (and of the two extra replicas) before the measured storms; its time is the cold figure
        double cold = Double.NaN;
        String warm = "warm-" + three;
        Instant dueWarm = null;
        if (WARMUP > 0) {
            copies.copy(templatesThree, WARMUP, "warm-", Duration.ofDays(5));
            dueWarm = periodEnd(warm, "min");
            cold = storm(warm, dueWarm, periodEnd(warm, "max"), WARMUP);
        }
        double floorThree = bulkFloor(three);
        double timeThree = storm(three, dueThree, periodEnd(three, "max"), N);
        suite.stopSchedulerReplicas();
        double floorOne = bulkFloor(one);
        double timeOne = storm(one, dueOne, periodEnd(one, "max"), N);
        Thread.sleep(10_000); // anything fired twice would show now
        long renewedOne = renewed(one, dueOne);
        long renewedThree = renewed(three, dueThree);
        long resetOne = resets(one);
        long resetThree = resets(three);

        System.out.printf("%nRENEWAL STORM: %,d subscriptions due at one instant (same machine, same run)%n", N);
        if (WARMUP > 0) {
            System.out.printf("  warm-up (cold JVMs), %,d due at once, 3 replicas: %.1f s%n", WARMUP, cold);
        }
        System.out.printf("  3 scheduler replicas: %7.1f s until every renewal and credit reset applied; bulk SQL floor %.2f s; ratio %.1f (target <= 3)%n",
                timeThree, floorThree, timeThree / floorThree);
        System.out.printf("  1 scheduler replica:  %7.1f s until every renewal and credit reset applied; bulk SQL floor %.2f s; ratio %.1f (target <= 3)%n",
                timeOne, floorOne, timeOne / floorOne);
        System.out.printf("  exactly once: renewals %,d and %,d, credit resets %,d and %,d (expected %,d each)%n",
                renewedThree, renewedOne, resetThree, resetOne, N);
        assertEquals(N, renewedOne);
        assertEquals(N, renewedThree);
        assertEquals(N, resetOne);
        assertEquals(N, resetThree);
        if (WARMUP > 0) {
            assertEquals(WARMUP, renewed(warm, dueWarm));
        }
    }

    /** THROUGH_API accounts go from Free to Plus monthly now (the local payment gateway settles at once); returns their ids. */
    private List<String> seed(String prefix) throws Exception {
        long started = System.nanoTime();
        Semaphore inFlight = new Semaphore(CONCURRENCY);
        CountDownLatch done = new CountDownLatch(THROUGH_API);
        AtomicLong failed = new AtomicLong();
        String base = suite.url(Service.SUBSCRIPTIONS);
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < THROUGH_API; i++) {
            String account = prefix + i;
            accounts.add(account);
            inFlight.acquire();
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/accounts/" + account + "/subscription/changes"))
                    .header("Authorization", TestTokens.bearer(TestTokens.account(account))).header("Content-Type", "application/json")
                    .header("Idempotency-Key", UUID.randomUUID().toString())
                    .POST(HttpRequest.BodyPublishers.ofString("{\"planCode\":\"plus\",\"interval\":\"MONTH\",\"timing\":\"IMMEDIATE\"}"))
                    .timeout(Duration.ofSeconds(60)).build();
            http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
                if (error != null || response.statusCode() != 200) {
                    if (failed.incrementAndGet() <= 3) {
                        System.out.println("seeding failed: " + (error != null ? error : response.statusCode() + " " + response.body()));
                    }
                }
                inFlight.release();
                done.countDown();
            });
        }
        assertTrue(done.await(30, TimeUnit.MINUTES), "seeding did not finish");
        assertEquals(0, failed.get(), "every account reached the paid plan");
        System.out.printf("seeded %,d subscriptions through the API (%s*) in %.1f s%n", THROUGH_API, prefix, (System.nanoTime() - started) / 1e9);
        return accounts;
    }

    /** Waits until the scheduler holds the timers of every seeded subscription and credits has granted each. */
    private void awaitTimers(long expected) throws Exception {
        long deadline = System.currentTimeMillis() + TimeUnit.MINUTES.toMillis(30);
        while (System.currentTimeMillis() < deadline) {
            long timers = count(Service.SCHEDULER, "SELECT count(*) FROM timer WHERE kind = 'period-end' AND fired_at IS NULL "
                    + "AND account_id LIKE 'storm%'");
            long granted = count(Service.CREDITS, "SELECT count(*) FROM ledger_entry WHERE kind = 'GRANT' AND bucket = 'SUBSCRIPTION' "
                    + "AND account_id LIKE 'storm%'");
            if (timers >= expected && granted >= expected) {
                return;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("the scheduler and credits-service did not catch up with the seeded subscriptions");
    }

    /** The floor: one statement moving the same rows to their next period, timed and rolled back. */
    private double bulkFloor(String prefix) throws Exception {
        try (Connection c = suite.database(Service.SUBSCRIPTIONS)) {
            c.setAutoCommit(false);
            long started = System.nanoTime();
            int rows = c.createStatement().executeUpdate("UPDATE subscription SET period_start = period_end, "
                    + "period_end = period_end + interval '1 month', revision = revision + 1 WHERE account_id LIKE '" + prefix + "%'");
            double seconds = (System.nanoTime() - started) / 1e9;
            c.rollback();
            assertEquals(N, rows, "the floor updates the batch's rows");
            return seconds;
        }
    }

    private Instant periodEnd(String prefix, String which) throws Exception {
        try (Connection c = suite.database(Service.SUBSCRIPTIONS);
             var s = c.prepareStatement("SELECT " + which + "(period_end) FROM subscription WHERE account_id LIKE ?")) {
            s.setString(1, prefix + "%");
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getTimestamp(1).toInstant();
            }
        }
    }

    /** Moves every clock past the last period end and waits until all N are renewed and their credits reset. */
    private double storm(String prefix, Instant due, Instant last, long count) throws Exception {
        suite.setClock(last.plusSeconds(60));
        long started = System.nanoTime();
        long deadline = System.currentTimeMillis() + TimeUnit.MINUTES.toMillis(30);
        while (System.currentTimeMillis() < deadline) {
            if (renewed(prefix, due) >= count && resets(prefix) >= count) {
                double seconds = (System.nanoTime() - started) / 1e9;
                System.out.printf("storm of %s*: %,d renewed and reset in %.1f s%n", prefix, count, seconds);
                return seconds;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not every subscription was renewed and reset within 30 minutes");
    }

    /** Renewed: the period now starts at or after the first period end of the batch (seeded ones started before it). */
    private long renewed(String prefix, Instant due) throws Exception {
        try (Connection c = suite.database(Service.SUBSCRIPTIONS);
             var s = c.prepareStatement("SELECT count(*) FROM subscription WHERE account_id LIKE ? AND period_start >= ?")) {
            s.setString(1, prefix + "%");
            s.setTimestamp(2, Timestamp.from(due));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    /** Credit resets: the grants credits-service makes for a new period (a renewal's forfeit-and-grant). */
    private long resets(String prefix) throws Exception {
        return count(Service.CREDITS, "SELECT count(*) FROM ledger_entry WHERE kind = 'GRANT' AND bucket = 'SUBSCRIPTION' "
                + "AND reason LIKE 'credits for the period from %' AND account_id LIKE '" + prefix + "%'");
    }

    private long count(Service service, String sql) throws Exception {
        try (Connection c = suite.database(service); ResultSet r = c.createStatement().executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
