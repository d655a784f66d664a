package dev.tally.credits.bench;

import dev.tally.testsupport.ProcStat;
import io.micrometer.core.instrument.DistributionSummary;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the debit benchmark's closed-loop rounds cost, opt-in ({@code -Dtally.bench.costs=true}):
 * CPU per debit of this JVM (the service and its load generator) and of the PostgreSQL processes,
 * statements per shared transaction, and (with {@code pg_stat_statements} preloaded,
 * {@code -Dtally.test.pg.config="shared_preload_libraries=pg_stat_statements"}) the top statements of
 * the service's database with their calls per transaction and mean execution time. Counts and CPU
 * per debit depend far less on what else the machine runs than debits per second do.
 */
final class BenchCosts {
    static final boolean ON = Boolean.getBoolean("tally.bench.costs");
    private static final long TICK_NANOS = 10_000_000L; // USER_HZ 100
    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final DistributionSummary groups;
    private boolean statements;
    private long jvmCpu;
    private long pgCpu;
    private double debits;
    private long transactions;
    private long jvmAtStart;
    private Map<Integer, Long> pgAtStart = Map.of();
    private double debitsAtStart;
    private long transactionsAtStart;
    private List<Object[]> top = List.of();
    private long baselineClient;
    private long baselineServer;
    private long baselineTransactions;

    BenchCosts(String jdbcUrl, String user, String password, DistributionSummary groups) throws Exception {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.groups = groups;
        if (!ON) {
            return;
        }
        try (Connection c = connect()) {
            c.createStatement().execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            c.createStatement().execute("SELECT count(*) FROM pg_stat_statements"); // fails unless preloaded
            statements = true;
        } catch (Exception e) {
            System.out.println("  (no pg_stat_statements: " + e.getMessage() + ")");
        }
    }

    /** Before each measured closed loop (the first one also starts the statements' counts). */
    void start() throws Exception {
        if (ON) {
            if (statements && transactions == 0) {
                try (Connection c = connect()) {
                    c.createStatement().execute("SELECT pg_stat_statements_reset()");
                }
            }
            jvmAtStart = jvmCpu();
            pgAtStart = pgCpu();
            debitsAtStart = groups.totalAmount();
            transactionsAtStart = groups.count();
        }
    }

    void stop() throws Exception {
        if (!ON) {
            return;
        }
        jvmCpu += jvmCpu() - jvmAtStart;
        Map<Integer, Long> now = pgCpu();
        now.forEach((pid, ticks) -> pgCpu += ticks - pgAtStart.getOrDefault(pid, 0L));
        debits += groups.totalAmount() - debitsAtStart;
        transactions += groups.count() - transactionsAtStart;
        if (statements) {
            top = statements(); // as of the last closed loop's end
        }
    }

    /**
     * The baseline's round, with its CPU: pgbench's own (a child of this JVM, counted in this JVM's
     * children's time once it ends) and its server backends' (children of the postmaster, counted in
     * the postmaster's children's time once they end), so the debits' CPU has a like for like beside it.
     */
    double pgbench(Pgbench pgbench, String database) throws Exception {
        if (!ON) {
            return pgbench.tps(database);
        }
        long client = children(ProcessHandle.current().pid());
        long postmaster = postmaster();
        long server = children(postmaster);
        Pgbench.Round round = pgbench.run(database);
        baselineClient += children(ProcessHandle.current().pid()) - client;
        backendsGone(database); // a backend's time reaches its parent only once it has exited and been waited for
        baselineServer += children(postmaster) - server;
        baselineTransactions += round.transactions();
        return round.tps();
    }

    void print() throws Exception {
        if (!ON || debits == 0) {
            return;
        }
        if (baselineTransactions > 0) {
            System.out.printf("  CPU per pgbench -N transaction (the baseline): pgbench %.1f us, PostgreSQL %.1f us%n",
                    baselineClient * TICK_NANOS / (double) baselineTransactions / 1e3,
                    baselineServer * TICK_NANOS / (double) baselineTransactions / 1e3);
        }
        System.out.printf("%nCOSTS of the closed-loop rounds: %,.0f debits in %,d shared transactions (%.1f a transaction)%n", debits,
                transactions, debits / transactions);
        System.out.printf("  CPU per debit: this JVM %.1f us, PostgreSQL %.1f us%n", jvmCpu / debits / 1e3, pgCpu * TICK_NANOS / debits / 1e3);
        double calls = 0;
        double total = 0;
        System.out.println("  per transaction | mean ms | rows/call | statement");
        for (Object[] row : top) {
            long n = (Long) row[0];
            if (n < transactions / 4) {
                continue; // the sweeps' and the relay's, not the debits'
            }
            calls += n;
            total += (Double) row[1];
            System.out.printf("  %15.2f | %7.4f | %9.1f | %s%n", n / (double) transactions, (Double) row[1] / n, (Long) row[2] / (double) n, row[3]);
        }
        if (calls > 0) {
            System.out.printf("  statements per transaction: %.2f; their execution %.3f ms a transaction%n", calls / transactions,
                    total / transactions);
        }
    }

    /** The statements of the service's database so far, by total execution time. */
    private List<Object[]> statements() throws Exception {
        List<Object[]> out = new ArrayList<>();
        try (Connection c = connect(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT calls, total_exec_time, rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 120) FROM pg_stat_statements "
                        + "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY total_exec_time DESC")) {
            while (rs.next()) {
                out.add(new Object[] {rs.getLong(1), rs.getDouble(2), rs.getLong(3), rs.getString(4)});
            }
        }
        return out;
    }

    private Connection connect() throws Exception {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }

    private static long jvmCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private void backendsGone(String database) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        try (Connection c = connect(); var count = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE datname = ?")) {
            count.setString(1, database);
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        break;
                    }
                }
                Thread.sleep(20);
            }
        }
        Thread.sleep(200); // reaped
    }

    private static long children(long pid) {
        return ProcStat.reapedChildrenTicks(pid);
    }

    private long postmaster() throws Exception {
        try (Connection c = connect(); ResultSet rs = c.createStatement().executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return ProcStat.parent(rs.getInt(1)); // a backend's parent
        }
    }

    /** utime + stime (clock ticks) of every process the server lists (its backends and background processes). */
    private Map<Integer, Long> pgCpu() throws Exception {
        Map<Integer, Long> out = new HashMap<>();
        try (Connection c = connect(); ResultSet rs = c.createStatement().executeQuery("SELECT pid FROM pg_stat_activity WHERE pid <> pg_backend_pid()")) {
            while (rs.next()) {
                long ticks = ProcStat.cpuTicks(rs.getInt(1), false);
                if (ticks >= 0) { // not ended meanwhile
                    out.put(rs.getInt(1), ticks);
                }
            }
        }
        return out;
    }
}
