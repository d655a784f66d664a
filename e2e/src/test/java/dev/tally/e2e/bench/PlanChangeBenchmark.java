package dev.tally.e2e.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.e2e.Suite;
import dev.tally.e2e.Suite.Service;
import dev.tally.testsupport.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Benchmark, not a timed test: runs only with {@code -Dtally.bench=changes}. Against the suite's
 * processes, every account runs one script of six state changes, each its own request with its own
 * Idempotency-Key: Free to Plus now (IMMEDIATE), a downgrade to Free at the period end, the pending
 * change cancelled, then Plus to Pro through a preview and its confirmation, Pro to Plus at the
 * period end through a preview, and that pending change cancelled. A change made through a preview
 * is timed from the preview's send to the confirmation's answer. Closed loop: {@code
 * tally.bench.concurrency} (default 32) accounts at a time; then open loop at half of the closed
 * loop's rate, each request sent at its scheduled time (or when the account's previous step
 * answers, if later) and timed from that scheduled time. Baseline, same run, same client and
 * concurrency: {@code GET /accounts/{id}/subscription} (authentication, one read of the
 * subscription and its plan version, JSON): the request path a change cannot be faster than.
 * Each account's token is signed once and reused, as a client keeps its token ({@code
 * -Dtally.bench.sign-each=true} signs one per request: an RSA signature in this JVM, on the cores the
 * services share). Each phase prints its epoch-millisecond window, to match a CPU trace against.
 * Every request must succeed.
 */
@EnabledIfSystemProperty(named = "tally.bench", matches = "changes")
class PlanChangeBenchmark {
    private static final int ACCOUNTS = Integer.getInteger("tally.bench.accounts", 1_000);
    private static final int CONCURRENCY = Integer.getInteger("tally.bench.concurrency", 32);
    private static final int ROUNDS = Integer.getInteger("tally.bench.rounds", 3);
    private static final int OPEN_SECONDS = Integer.getInteger("tally.bench.seconds", 10);
    private static final int STEPS = 6;
    /** Sign a new token for every request (as this benchmark did before issue 20's profile): {@code -Dtally.bench.sign-each=true}. */
    private static final boolean SIGN_EACH = Boolean.getBoolean("tally.bench.sign-each");

    private final Suite suite = Suite.get();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).executor(Executors.newFixedThreadPool(4)).build();
    private final AtomicLong failed = new AtomicLong();
    /** One token per account, as a client keeps its token for its hour: signing one costs the client an RSA signature. */
    private final java.util.Map<String, String> tokens = new java.util.concurrent.ConcurrentHashMap<>();

    private record Result(double perSecond, double p50, double p99, long fromMillis, long toMillis) {
        @Override
        public String toString() {
            return String.format("%,.0f/s, p50 %.1f ms, p99 %.1f ms", perSecond, p50, p99)
                    + (fromMillis > 0 ? String.format(" [%d..%d]", fromMillis, toMillis) : ""); // epoch ms, to match a CPU sampler's trace
        }
    }

    @Test
    void planChangesThroughTheApi() throws Exception {
        suite.setClock(Instant.parse("2031-03-01T00:00:00Z"));
        String run = UUID.randomUUID().toString().substring(0, 6);
        closedChanges("warm-" + run + "-", Math.min(ACCOUNTS, 300));
        closedReads("warm-" + run + "-", Math.min(ACCOUNTS, 300));
        ProcessCpu idle = ProcessCpu.start(suite);
        Thread.sleep(5_000);
        System.out.printf("idle: CPU ms a second by process, nothing sent for 5 s: %s%n", idle.per(5.0));
        List<Result> changes = new ArrayList<>();
        List<Result> reads = new ArrayList<>();
        List<Result> open = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            ProcessCpu cpu = ProcessCpu.start(suite);
            Result c = closedChanges("c" + i + "-" + run + "-", ACCOUNTS);
            String changeCpu = cpu.per(ACCOUNTS * STEPS / 1000.0);
            cpu = ProcessCpu.start(suite);
            Result r = closedReads("c" + i + "-" + run + "-", ACCOUNTS);
            String readCpu = cpu.per(ACCOUNTS * STEPS / 1000.0);
            Result o = openChanges("o" + i + "-" + run + "-", c.perSecond() / 2);
            System.out.printf("round %d: changes closed %s; baseline GET %s; ratio %.2f; changes open loop %s%n", i + 1, c, r,
                    c.perSecond() / r.perSecond(), o);
            System.out.printf("round %d: CPU ms by process, a change (closed loop): %s; a GET: %s%n", i + 1, changeCpu, readCpu);
            changes.add(c);
            reads.add(r);
            ratios.add(c.perSecond() / r.perSecond());
            open.add(o);
        }
        System.out.printf("%nPLAN CHANGES: %,d accounts x %d changes, %d in flight, %d rounds (medians; load average %s)%n",
                ACCOUNTS, STEPS, CONCURRENCY, ROUNDS, loadAverage());
        System.out.printf("  changes, closed loop:      %s%n", median(changes));
        System.out.printf("  baseline GET subscription: %s%n", median(reads));
        System.out.printf("  ratio changes / GET, median of rounds: %.2f %s%n", mid(ratios),
                ratios.stream().map(x -> String.format("%.2f", x)).toList());
        System.out.printf("  changes, open loop at half (%s): %s%n", open.stream().map(o -> String.format("%.0f/s", o.perSecond())).toList(),
                median(open));
        assertEquals(0, failed.get(), "every request answered 2xx");
    }

    /** Closed loop: CONCURRENCY workers, each running whole account scripts one request at a time. */
    private Result closedChanges(String prefix, int accounts) throws Exception {
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        long started = System.nanoTime();
        parallel(() -> {
            for (int a = next.getAndIncrement(); a < accounts; a = next.getAndIncrement()) {
                for (int step = 0; step < STEPS; step++) {
                    long t = System.nanoTime();
                    step(prefix + a, step, t).join();
                    latencies.add((System.nanoTime() - t) / 1e6);
                }
            }
        });
        return result(latencies, accounts * STEPS, System.nanoTime() - started);
    }

    private Result closedReads(String prefix, int accounts) throws Exception {
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        int reads = accounts * STEPS;
        long started = System.nanoTime();
        parallel(() -> {
            for (int i = next.getAndIncrement(); i < reads; i = next.getAndIncrement()) {
                long t = System.nanoTime();
                send(prefix + (i % accounts), "GET", "", null).join();
                latencies.add((System.nanoTime() - t) / 1e6);
            }
        });
        return result(latencies, reads, System.nanoTime() - started);
    }

    /**
     * Open loop at {@code rate} changes/s for OPEN_SECONDS: change k is step k / n of account k % n,
     * with n accounts enough that an account's steps are two seconds apart; sent at its scheduled
     * time or when the account's previous step answered, timed from the schedule.
     */
    private Result openChanges(String prefix, double rate) throws Exception {
        int total = (int) (rate * OPEN_SECONDS);
        int n = Math.max(1, Math.min(total / STEPS, (int) (rate * 2)));
        int count = (total / n) * n;
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Void>> last = new ArrayList<>(Collections.nCopies(n, CompletableFuture.completedFuture(null)));
        var timer = Executors.newSingleThreadScheduledExecutor();
        long start = System.nanoTime() + 100_000_000L;
        for (int k = 0; k < count; k++) {
            int account = k % n;
            int step = k / n;
            long scheduled = start + (long) (k * 1e9 / rate);
            CompletableFuture<Void> due = new CompletableFuture<>();
            timer.schedule(() -> due.complete(null), scheduled - System.nanoTime(), TimeUnit.NANOSECONDS);
            CompletableFuture<Void> done = CompletableFuture.allOf(due, last.get(account))
                    .thenCompose(x -> step(prefix + account, step, scheduled))
                    .thenAccept(x -> latencies.add((System.nanoTime() - scheduled) / 1e6));
            last.set(account, done);
        }
        CompletableFuture.allOf(last.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        timer.shutdown();
        return result(latencies, count, System.nanoTime() - start);
    }

    /** One state change of the script: the request (or preview and confirmation) for {@code step}. */
    private CompletableFuture<Void> step(String account, int step, long t) {
        return switch (step) {
            case 0 -> change(account, "{\"planCode\":\"plus\",\"interval\":\"MONTH\",\"timing\":\"IMMEDIATE\"}");
            case 1 -> change(account, "{\"planCode\":\"free\",\"interval\":\"MONTH\"}");
            case 2, 5 -> send(account, "DELETE", "/pending-change", null).thenAccept(x -> { });
            case 3 -> previewed(account, "{\"planCode\":\"pro\",\"interval\":\"MONTH\"}");
            default -> previewed(account, "{\"planCode\":\"plus\",\"interval\":\"MONTH\"}");
        };
    }

    private CompletableFuture<Void> change(String account, String body) {
        return send(account, "POST", "/changes", body).thenAccept(x -> { });
    }

    private CompletableFuture<Void> previewed(String account, String body) {
        return send(account, "POST", "/previews", body).thenCompose(preview -> {
            String id = preview.replaceAll("(?s).*\"previewId\"\\s*:\\s*\"([^\"]+)\".*", "$1");
            return change(account, "{\"previewId\":\"" + id + "\"}");
        });
    }

    private CompletableFuture<String> send(String account, String method, String path, String body) {
        var builder = HttpRequest.newBuilder(URI.create(suite.url(Service.SUBSCRIPTIONS) + "/accounts/" + account + "/subscription" + path))
                .header("Authorization", SIGN_EACH ? TestTokens.bearer(TestTokens.account(account))
                        : tokens.computeIfAbsent(account, a -> TestTokens.bearer(TestTokens.account(a))))
                .timeout(Duration.ofSeconds(60));
        if (body != null) {
            builder.header("Content-Type", "application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                    .POST(HttpRequest.BodyPublishers.ofString(body));
        } else {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofString()).handle((response, error) -> {
            if (error != null || response.statusCode() / 100 != 2) {
                if (failed.incrementAndGet() <= 5) {
                    System.out.println(method + " " + path + " failed: " + (error != null ? error : response.statusCode() + " " + response.body()));
                }
                return "";
            }
            return response.body();
        });
    }

    private static void parallel(Runnable worker) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
        List<java.util.concurrent.Future<?>> all = new ArrayList<>();
        for (int i = 0; i < CONCURRENCY; i++) {
            all.add(pool.submit(worker));
        }
        for (var f : all) {
            f.get(30, TimeUnit.MINUTES);
        }
        pool.shutdown();
    }

    private static Result result(List<Double> latencies, int count, long nanos) {
        List<Double> sorted = latencies.stream().sorted().toList();
        long to = System.currentTimeMillis();
        return new Result(count / (nanos / 1e9), percentile(sorted, 0.50), percentile(sorted, 0.99), to - nanos / 1_000_000, to);
    }

    private static double percentile(List<Double> sorted, double q) {
        return sorted.isEmpty() ? Double.NaN : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }

    private static Result median(List<Result> rounds) {
        return new Result(mid(rounds.stream().map(Result::perSecond).toList()), mid(rounds.stream().map(Result::p50).toList()),
                mid(rounds.stream().map(Result::p99).toList()), 0, 0);
    }

    private static double mid(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "unknown";
        }
    }
}
