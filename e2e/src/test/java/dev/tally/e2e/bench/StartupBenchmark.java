package dev.tally.e2e.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.e2e.Suite;
import dev.tally.e2e.Suite.Service;
import dev.tally.testsupport.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Benchmark, not a timed test: runs only with {@code -Dtally.bench=startup}. On the suite's four
 * packaged services (each its own JVM, as the e2e suite starts them: {@code -Xmx256m
 * -XX:+UseSerialGC}): a short debit load through credits-service's API ({@code tally.bench.accounts}
 * accounts, default 200, each granted credits; closed loop, {@code tally.bench.concurrency} debits in
 * flight, default 64, over HTTP/1.1 keep-alive, for {@code tally.bench.seconds}, default 20); then
 * every service's resident memory ({@code VmRSS} now and its peak {@code VmHWM}, from
 * /proc/&lt;pid&gt;/status); then each service killed and started again {@code tally.bench.starts}
 * times (default 3): the time from launching the process to {@code /q/health/ready} answering 200
 * (polled every 20 ms), and its resident memory once ready. Medians. Asserts only that every debit
 * was accepted.
 */
@EnabledIfSystemProperty(named = "tally.bench", matches = "startup")
class StartupBenchmark {
    private static final int ACCOUNTS = Integer.getInteger("tally.bench.accounts", 200);
    private static final int CONCURRENCY = Integer.getInteger("tally.bench.concurrency", 64);
    private static final int SECONDS = Integer.getInteger("tally.bench.seconds", 20);
    private static final int STARTS = Integer.getInteger("tally.bench.starts", 3);

    private final Suite suite = Suite.get();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void startUpTimeToReadyAndResidentMemoryOfEachService() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            String account = "boot-" + run + "-" + i;
            accounts.add(account);
            send("GET", Service.SUBSCRIPTIONS, "/accounts/" + account + "/subscription", null);
            send("POST", Service.CREDITS, "/accounts/" + account + "/credits/grants", "{\"credits\":100000000,\"reason\":\"startup benchmark\"}");
        }
        String loadBefore = RenewalStormBenchmark.loadAverage();
        long[] debits = debits(accounts);
        String loadAfter = RenewalStormBenchmark.loadAverage();
        Map<Service, long[]> afterLoad = new EnumMap<>(Service.class);
        for (Service s : Service.values()) {
            afterLoad.put(s, memory(suite.pid(s)));
        }
        Map<Service, List<Double>> startSeconds = new EnumMap<>(Service.class);
        Map<Service, List<Long>> readyRss = new EnumMap<>(Service.class);
        List<String> loads = new ArrayList<>();
        for (int i = 0; i < STARTS; i++) {
            for (Service s : Service.values()) {
                Duration took = suite.restart(s, Map.of(), "startup-" + i, Duration.ofMillis(20));
                startSeconds.computeIfAbsent(s, x -> new ArrayList<>()).add(took.toNanos() / 1e9);
                readyRss.computeIfAbsent(s, x -> new ArrayList<>()).add(memory(suite.pid(s))[0]);
                Thread.sleep(2000); // let it settle before the next one starts (its consumers join their groups)
            }
            loads.add(RenewalStormBenchmark.loadAverage());
        }

        System.out.printf("%nSTART-UP AND MEMORY of each service (the e2e suite's JVMs: -Xmx256m -XX:+UseSerialGC; same machine, same run)%n");
        System.out.printf("  debit load first: %,d debits answered 201 in %d s (%,.0f/s), %d in flight, %d accounts, HTTP/1.1; "
                + "load average before %s, after %s%n", debits[0], SECONDS, debits[0] / (double) SECONDS, CONCURRENCY, ACCOUNTS, loadBefore, loadAfter);
        for (Service s : Service.values()) {
            long[] m = afterLoad.get(s);
            System.out.printf("  %-22s after the load: VmRSS %4d MiB, VmHWM %4d MiB | start to ready: median %.2f s %s | VmRSS once ready: "
                            + "median %d MiB %s%n", s.module(), m[0], m[1], median(startSeconds.get(s)),
                    startSeconds.get(s).stream().map(v -> String.format("%.2f", v)).toList(),
                    (long) median(readyRss.get(s).stream().map(Long::doubleValue).toList()), readyRss.get(s));
        }
        System.out.printf("  load average after each round of starts: %s%n", loads);
        assertEquals(0, debits[1], "every debit was accepted");
    }

    /** Closed loop for SECONDS: returns {accepted, failed}. */
    private long[] debits(List<String> accounts) throws Exception {
        AtomicLong accepted = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long end = System.nanoTime() + Duration.ofSeconds(SECONDS).toNanos();
        String base = suite.url(Service.CREDITS);
        String token = TestTokens.bearer(TestTokens.service());
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < CONCURRENCY; w++) {
            Thread worker = new Thread(() -> {
                while (System.nanoTime() < end) {
                    String account = accounts.get(ThreadLocalRandom.current().nextInt(accounts.size()));
                    String key = UUID.randomUUID().toString();
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/accounts/" + account + "/credits/debits"))
                                .header("Authorization", token).header("Content-Type", "application/json").header("Idempotency-Key", key)
                                .POST(HttpRequest.BodyPublishers.ofString("{\"amount\":1,\"reason\":\"" + key + "\"}"))
                                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                        (r.statusCode() == 201 ? accepted : failed).incrementAndGet();
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                }
            });
            worker.start();
            workers.add(worker);
        }
        for (Thread t : workers) {
            t.join();
        }
        return new long[] {accepted.get(), failed.get()};
    }

    private void send(String method, Service service, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(suite.url(service) + path))
                .header("Authorization", TestTokens.bearer(TestTokens.service())).timeout(Duration.ofSeconds(30));
        if (body != null) {
            b.header("Content-Type", "application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(2, r.statusCode() / 100, method + " " + path + ": " + r.statusCode() + " " + r.body());
    }

    /** {VmRSS, VmHWM} in MiB from /proc/&lt;pid&gt;/status. */
    private static long[] memory(long pid) throws Exception {
        long rss = -1;
        long hwm = -1;
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = kib(line) / 1024;
            } else if (line.startsWith("VmHWM:")) {
                hwm = kib(line) / 1024;
            }
        }
        return new long[] {rss, hwm};
    }

    private static long kib(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
