package dev.tally.e2e.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.e2e.Suite;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Benchmark, not a timed test: runs only with {@code -Dtally.bench=renewals}. Puts accounts on a
 * paid monthly plan through the API ({@code tally.bench.api-seeded}, default 2,000), then, for each
 * storm, copies them in bulk SQL to N subscriptions (default 100,000; {@code -Dtally.bench.n}) whose
 * period ends fall due together (SeedCopies), moves the suite's clock past them and measures the
 * time until subscriptions-service has renewed every one and credits-service has reset every one's
 * subscription credits (forfeit and new grant). First a warm-up storm ({@code tally.bench.warmup},
 * default min(N, 20,000); its time is the cold figure), then {@code tally.bench.rounds} (default 3)
 * storms with three scheduler replicas and as many with one; each round prints its time beside two
 * floors over the same rows, rolled back (StormFloors): one UPDATE of the subscription rows, and the
 * same writes a renewal makes in every table of the three databases, in bulk SQL; then the rows per
 * renewal the storm wrote in each table (PostgreSQL's counters) beside the floor's. The summary
 * gives the medians. At the end it checks there were exactly N renewals and N resets per round, no
 * more and no fewer.
 */
@EnabledIfSystemProperty(named = "tally.bench", matches = "renewals")
class RenewalStormBenchmark {
    private static final int N = Integer.getInteger("tally.bench.n", 100_000);
    private static final int CONCURRENCY = Integer.getInteger("tally.bench.concurrency", 32);
    /** Accounts seeded through the API; every storm is made of copies of them (SeedCopies). */
    private static final int THROUGH_API = Math.min(N, Integer.getInteger("tally.bench.api-seeded", 2_000));
    /** Subscriptions of the warm-up storm run before the measured ones ({@code -Dtally.bench.warmup=0}: none). */
    private static final int WARMUP = Integer.getInteger("tally.bench.warmup", Math.min(N, 20_000));
    private static final int ROUNDS = Integer.getInteger("tally.bench.rounds", 3);
    private static final Instant T0 = Instant.parse("2031-01-01T00:00:00Z");

    private final Suite suite = Suite.get();
    private final StormAccounts accounts = new StormAccounts(suite);

    /** Seconds to wait for PostgreSQL's write counters to settle before and after a storm (they arrive a moment after each transaction). */
    private static final int SETTLE = Integer.getInteger("tally.bench.settle-seconds", 5);
    /**
     * {@code -Dtally.bench.floors=false}: no floors before the storms, for a pair against a commit that
     * has none. With them, the databases are vacuumed after the floors (their rolled-back rows would
     * otherwise be dead tuples the storm updates around and autovacuum cleans during it).
     */
    private static final boolean FLOORS = !"false".equals(System.getProperty("tally.bench.floors"));

    /** One measured storm: its accounts' name prefix, when they fell due, its time, its two floors and the load average after it. */
    private record Round(String prefix, Instant due, double seconds, double floor, double sameWrites, String load) {
    }

    @Test
    void renewalsAndCreditResetsOfNSubscriptionsDueAtOnce() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        suite.setClock(T0);
        List<String> templates = accounts.seed("storm-" + run + "-", THROUGH_API, CONCURRENCY);
        accounts.awaitTimers("storm-" + run + "-", THROUGH_API);
        SeedCopies copies = new SeedCopies(suite);
        StormFloors floors = new StormFloors(suite);
        int storms = 1 + 2 * ROUNDS;
        suite.startSchedulerReplica(T0);
        suite.startSchedulerReplica(T0);
        // storm k is copies of the templates due (storms + 1 - k) days before them, so each comes due after the one before
        double cold = Double.NaN;
        if (WARMUP > 0) {
            cold = round(copies, floors, templates, "warm-" + run + "-", WARMUP, storms + 1).seconds();
        }
        List<Round> three = new ArrayList<>();
        List<Round> one = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            three.add(round(copies, floors, templates, "r3x" + i + "-" + run + "-", N, storms - i));
        }
        suite.stopSchedulerReplicas();
        for (int i = 0; i < ROUNDS; i++) {
            one.add(round(copies, floors, templates, "r1x" + i + "-" + run + "-", N, storms - ROUNDS - i));
        }
        Thread.sleep(10_000); // anything fired twice would show now
        List<String> counts = new ArrayList<>();
        for (Round r : concat(three, one)) {
            long renewed = accounts.renewed(r.prefix(), r.due());
            long resets = accounts.resets(r.prefix());
            counts.add(renewed + "/" + resets);
            assertEquals(N, renewed, "renewals of " + r.prefix());
            assertEquals(N, resets, "credit resets of " + r.prefix());
        }

        System.out.printf("%nRENEWAL STORM: %,d subscriptions due at one instant, %d rounds each (same machine, same run; medians)%n", N, ROUNDS);
        if (WARMUP > 0) {
            System.out.printf("  warm-up (cold JVMs), %,d due at once, 3 replicas: %.1f s%n", WARMUP, cold);
        }
        summary("3 scheduler replicas", three);
        summary("1 scheduler replica ", one);
        System.out.printf("  exactly once: renewals/resets per round %s (expected %,d each)%n", counts, N);
    }

    /**
     * Copies the storm's accounts, times both floors over them (rolled back), then the storm; prints
     * the rows the storm wrote per table (PostgreSQL's counters, read once quiet before and after it)
     * beside the rows the same-writes floor wrote.
     */
    private Round round(SeedCopies copies, StormFloors floors, List<String> templates, String prefix, int count, int daysEarly) throws Exception {
        copies.copy(templates, count, prefix, Duration.ofDays(daysEarly));
        Instant due = accounts.periodEnd(prefix, "min");
        double floor = FLOORS ? floors.oneUpdate(prefix, count) : Double.NaN;
        StormFloors.Floor same = FLOORS ? floors.sameWrites(prefix, count) : new StormFloors.Floor(Double.NaN, Map.of());
        if (FLOORS) {
            floors.vacuum();
        }
        Thread.sleep(SETTLE * 1000L);
        Map<String, long[]> before = TableWrites.snapshot(suite);
        long from = TableWrites.nextTransaction(suite);
        double seconds = accounts.storm(prefix, due, accounts.periodEnd(prefix, "max"), count);
        String load = loadAverage();
        Thread.sleep(SETTLE * 1000L);
        Map<String, long[]> operations = TableWrites.between(before, TableWrites.snapshot(suite));
        Map<String, Long> written = TableWrites.writtenSince(suite, from);
        System.out.printf("  floors of %s*: one UPDATE %.2f s, same writes %.2f s; ratios %.1f and %.1f; load average after the storm %s%n",
                prefix, floor, same.seconds(), seconds / floor, seconds / same.seconds(), load);
        TableWrites.print("writes of " + prefix + "*", written, operations, same.rows(), count);
        return new Round(prefix, due, seconds, floor, same.seconds(), load);
    }

    /** The 1, 5 and 15 minute load averages (/proc/loadavg): other work on the machine shows here. */
    static String loadAverage() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static void summary(String what, List<Round> rounds) {
        double time = median(rounds.stream().map(Round::seconds).toList());
        double floor = median(rounds.stream().map(Round::floor).toList());
        double same = median(rounds.stream().map(Round::sameWrites).toList());
        System.out.printf("  %s: %6.1f s until every renewal and credit reset applied %s (load average after each %s)%n", what, time,
                rounds.stream().map(r -> String.format("%.1f", r.seconds())).toList(), rounds.stream().map(Round::load).toList());
        System.out.printf("      one-UPDATE floor %.2f s %s, ratio %.1f; same-writes floor %.2f s %s, ratio %.1f (target <= 3)%n",
                floor, rounds.stream().map(r -> String.format("%.2f", r.floor())).toList(), time / floor,
                same, rounds.stream().map(r -> String.format("%.2f", r.sameWrites())).toList(), time / same);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static List<Round> concat(List<Round> a, List<Round> b) {
        List<Round> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
