package dev.tally.e2e.bench;

import dev.tally.e2e.Suite;
import dev.tally.e2e.Suite.Service;
import dev.tally.testsupport.ProcStat;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * CPU seconds (utime + stime from /proc/&lt;pid&gt;/stat, Linux only) each process of the suite spends
 * between {@link #start()} and {@link #since()}: a measure that, unlike wall time, does not move with
 * the machine's load. Each service JVM (this test JVM's children) is named by its module (scheduler
 * replicas summed as billing-scheduler), the suite's PostgreSQL server's backends by
 * their database ({@code pg:<database>}; backends that exited in between and the server's own
 * processes count as {@code pg:other}, through the postmaster's reaped children's times), and this JVM
 * itself ({@code test-jvm}: the in-JVM Kafka broker and the benchmark's polls).
 */
final class ProcessCpu {
    /** With -Dtally.bench.pg-statements=true (and pg_stat_statements preloaded) each storm also prints its costliest statements. */
    private static final boolean STATEMENTS = Boolean.getBoolean("tally.bench.pg-statements");
    private final Map<String, Double> before;
    private final Suite suite;

    private ProcessCpu(Map<String, Double> before, Suite suite) {
        this.before = before;
        this.suite = suite;
    }

    private static long postmaster = -1;

    /** Finds the suite's PostgreSQL server (once) through its data directory's postmaster.pid. */
    static ProcessCpu start(Suite suite) {
        if (postmaster < 0) {
            try (Connection c = suite.database(Service.CREDITS);
                 ResultSet r = c.createStatement().executeQuery("SELECT current_setting('data_directory')")) {
                r.next();
                postmaster = Long.parseLong(Files.readAllLines(Path.of(r.getString(1), "postmaster.pid")).get(0).trim());
            } catch (Exception e) {
                postmaster = 0; // not on this machine (TALLY_TEST_PG_URL): PostgreSQL is not counted
            }
        }
        if (STATEMENTS) {
            try (Connection c = suite.database(Service.CREDITS)) {
                c.createStatement().execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
                c.createStatement().execute("SELECT pg_stat_statements_reset()");
            } catch (Exception e) {
                System.out.println("pg_stat_statements: " + e);
            }
        }
        return new ProcessCpu(snapshot(), suite);
    }

    /** "credits-service 12.3, pg:credits_service_x 4.5, ..." CPU seconds since start, largest first. */
    String since() {
        return statements() + "cpu s: " + format(spent(), 1.0, "%.1f");
    }

    /** CPU seconds by process since start, each divided by {@code per} (ms per request: {@code per} = requests / 1000). */
    String per(double per) {
        return format(spent(), per, "%.2f");
    }

    private Map<String, Double> spent() {
        Map<String, Double> spent = new TreeMap<>();
        snapshot().forEach((name, seconds) -> spent.put(name, seconds - before.getOrDefault(name, 0.0)));
        return spent;
    }

    private static String format(Map<String, Double> spent, double per, String number) {
        double total = spent.values().stream().mapToDouble(Double::doubleValue).sum();
        return spent.entrySet().stream().filter(e -> e.getValue() >= 0.05)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .map(e -> e.getKey() + "=" + String.format(number, e.getValue() / per)).collect(Collectors.joining(" "))
                + " total=" + String.format(number, total / per);
    }

    /** The storm's costliest statements by execution time, one a line (empty unless asked for). */
    private String statements() {
        if (!STATEMENTS) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        try (Connection c = suite.database(Service.CREDITS);
             ResultSet r = c.createStatement().executeQuery("SELECT d.datname, s.calls, s.total_exec_time, s.rows, "
                     + "regexp_replace(s.query, '\\s+', ' ', 'g') FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid "
                     + "ORDER BY s.total_exec_time DESC LIMIT 12")) {
            while (r.next()) {
                String q = r.getString(5);
                out.append(String.format("    pgss %-28s calls=%d ms=%.0f rows=%d %s%n", r.getString(1), r.getLong(2), r.getDouble(3),
                        r.getLong(4), q.substring(0, Math.min(q.length(), 220))));
            }
        } catch (Exception e) {
            out.append("    pg_stat_statements: ").append(e).append('\n');
        }
        return out.toString();
    }

    private static Map<String, Double> snapshot() {
        Map<String, Double> cpu = new TreeMap<>();
        add(cpu, "test-jvm", ticks(ProcessHandle.current().pid(), false));
        ProcessHandle.current().descendants().forEach(p -> {
            String cmd = commandLine(p.pid());
            if (cmd != null && cmd.contains("java")) {
                add(cpu, module(cmd), ticks(p.pid(), false));
            }
        });
        if (postmaster > 0) {
            add(cpu, "pg:other", ticks(postmaster, true)); // the postmaster itself and the backends it reaped
            ProcessHandle.of(postmaster).ifPresent(pm -> pm.children().forEach(p -> {
                String cmd = commandLine(p.pid());
                if (cmd != null) {
                    add(cpu, "pg:" + database(cmd), ticks(p.pid(), false));
                }
            }));
        }
        return cpu;
    }

    /** "postgres: user db 127.0.0.1(5555) idle" names a backend's database; auxiliary processes are other. */
    private static String database(String cmd) {
        String[] words = cmd.split("\\s+");
        return words.length >= 4 && words[3].contains("(") ? words[2] : "other";
    }

    private static String module(String cmd) {
        for (String m : new String[] {"plans-service", "subscriptions-service", "credits-service", "billing-scheduler"}) {
            if (cmd.contains("/" + m + "/")) {
                return m;
            }
        }
        return "java-other";
    }

    private static void add(Map<String, Double> cpu, String name, double seconds) {
        if (seconds >= 0) {
            cpu.merge(name, seconds, Double::sum);
        }
    }

    private static String commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim();
        } catch (IOException e) {
            return null; // gone
        }
    }

    /** utime + stime (and the reaped children's cutime + cstime) in seconds; -1 when the process is gone. */
    private static double ticks(long pid, boolean withChildren) {
        long t = ProcStat.cpuTicks(pid, withChildren);
        return t < 0 ? -1 : t / ProcStat.TICKS;
    }
}
