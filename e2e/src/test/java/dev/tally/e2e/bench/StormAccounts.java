package dev.tally.e2e.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.e2e.Suite;
import dev.tally.e2e.Suite.Service;
import dev.tally.testsupport.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
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

/**
 * The renewal storm's accounts (RenewalStormBenchmark): seeding them through the API, waiting until
 * the scheduler and credits-service hold them, and timing one storm by counting their renewals and
 * credit resets in the services' databases.
 */
final class StormAccounts {
    private final Suite suite;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

    StormAccounts(Suite suite) {
        this.suite = suite;
    }

    /** {@code count} accounts go from Free to Plus monthly now (the local payment gateway settles at once); returns their ids. */
    List<String> seed(String prefix, int count, int concurrency) throws Exception {
        long started = System.nanoTime();
        Semaphore inFlight = new Semaphore(concurrency);
        CountDownLatch done = new CountDownLatch(count);
        AtomicLong failed = new AtomicLong();
        String base = suite.url(Service.SUBSCRIPTIONS);
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
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
        System.out.printf("seeded %,d subscriptions through the API (%s*) in %.1f s%n", count, prefix, (System.nanoTime() - started) / 1e9);
        return accounts;
    }

    /** Waits until the scheduler holds the seeded subscriptions' timers and credits-service has granted each. */
    void awaitTimers(String prefix, long expected) throws Exception {
        long deadline = System.currentTimeMillis() + TimeUnit.MINUTES.toMillis(30);
        while (System.currentTimeMillis() < deadline) {
            long timers = count(Service.SCHEDULER, "SELECT count(*) FROM timer WHERE kind = 'period-end' AND fired_at IS NULL "
                    + "AND account_id LIKE '" + prefix + "%'");
            long granted = count(Service.CREDITS, "SELECT count(*) FROM ledger_entry WHERE kind = 'GRANT' AND bucket = 'SUBSCRIPTION' "
                    + "AND account_id LIKE '" + prefix + "%'");
            if (timers >= expected && granted >= expected) {
                return;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("the scheduler and credits-service did not catch up with the seeded subscriptions");
    }

    Instant periodEnd(String prefix, String which) throws Exception {
        try (Connection c = suite.database(Service.SUBSCRIPTIONS);
             var s = c.prepareStatement("SELECT " + which + "(period_end) FROM subscription WHERE account_id LIKE ?")) {
            s.setString(1, prefix + "%");
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getTimestamp(1).toInstant();
            }
        }
    }

    /**
     * Moves every clock past the last period end and waits until all {@code count} are renewed and
     * their credits reset (checked every two seconds: the checks scan tables, and scanning more often
     * slowed the storm). The time is read from the databases: the last renewal's and the last
     * reset grant's outbox rows carry the real time they were written, on this machine's clock.
     */
    double storm(String prefix, Instant due, Instant last, long count) throws Exception {
        Instant wallStart = Instant.now();
        ProcessCpu cpu = ProcessCpu.start(suite);
        suite.setClock(last.plusSeconds(60));
        long deadline = System.currentTimeMillis() + TimeUnit.MINUTES.toMillis(30);
        while (System.currentTimeMillis() < deadline) {
            Thread.sleep(2000);
            if (renewed(prefix, due) >= count && resets(prefix) >= count) {
                double[] renewals = written(Service.SUBSCRIPTIONS, "subscription.renewed", prefix, wallStart);
                double[] grants = written(Service.CREDITS, "credits.granted", prefix, wallStart);
                double[] commands = written(Service.SCHEDULER, "period.ended", prefix, wallStart);
                double seconds = Math.max(renewals[1], grants[1]);
                System.out.printf("storm of %s*: %,d renewed and reset in %.1f s (seconds after the clock moved: scheduler wrote its "
                                + "commands %.1f-%.1f and published them by %.1f; subscriptions renewed %.1f-%.1f; credits reset %.1f-%.1f)%n",
                        prefix, count, seconds, commands[0], commands[1], commands[2], renewals[0], renewals[1], grants[0], grants[1]);
                System.out.printf("  storm of %s* %s; load %s%n", prefix, cpu.since(), Files.readString(Path.of("/proc/loadavg")).trim());
                return seconds;
            }
        }
        throw new AssertionError("not every subscription was renewed and reset within 30 minutes");
    }

    /** Seconds after {@code start} of the first and last outbox rows of {@code type} for the prefix's accounts, and of the last publish. */
    private double[] written(Service service, String type, String prefix, Instant start) throws Exception {
        try (Connection c = suite.database(service);
             var s = c.prepareStatement("SELECT extract(epoch FROM min(created_at) - ?), extract(epoch FROM max(created_at) - ?), "
                     + "extract(epoch FROM max(sent_at) - ?) FROM outbox_event WHERE type = ? AND subject LIKE ? AND created_at >= ?")) {
            Timestamp t = Timestamp.from(start);
            s.setTimestamp(1, t);
            s.setTimestamp(2, t);
            s.setTimestamp(3, t);
            s.setString(4, type);
            s.setString(5, prefix + "%");
            s.setTimestamp(6, t);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return new double[] {r.getDouble(1), r.getDouble(2), r.getDouble(3)};
            }
        }
    }

    /** Renewed: the period now starts at or after the first period end of the batch (seeded ones started before it). */
    long renewed(String prefix, Instant due) throws Exception {
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
    long resets(String prefix) throws Exception {
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
