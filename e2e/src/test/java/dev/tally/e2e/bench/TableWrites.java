package dev.tally.e2e.bench;

import dev.tally.e2e.Suite;
import dev.tally.e2e.Suite.Service;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a storm wrote in every service's database, two ways. Exactly: the rows per table whose
 * current version a transaction after a given one wrote ({@code xmin}; the suite's databases share
 * one fresh cluster, whose transaction ids are still their 64-bit ones), so a row inserted and then
 * updated counts once, as the floor writes it. And as write operations, from PostgreSQL's counters
 * ({@code pg_stat_user_tables}: every attempted insert, update and delete, HOT updates included):
 * they show the extra updates (claims, marking outbox rows sent), but reach the statistics collector
 * only a moment after each transaction (PostgreSQL 14 holds a backend's last half second until it is
 * used again), so they may fall a little short.
 */
final class TableWrites {
    /** A table's name as printed: schema-qualified unless in public. */
    private static final String NAME = "CASE WHEN schemaname = 'public' THEN relname ELSE schemaname || '.' || relname END";

    private TableWrites() {
    }

    /** Each table's {inserted, updated, deleted} so far, keyed {@code <service>.<table>}. */
    static Map<String, long[]> snapshot(Suite suite) throws SQLException {
        Map<String, long[]> out = new TreeMap<>();
        for (Service s : Service.values()) {
            try (Connection c = suite.database(s); ResultSet r = c.createStatement().executeQuery(
                    "SELECT " + NAME + ", n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_user_tables WHERE relname <> 'flyway_schema_history'")) {
                while (r.next()) {
                    out.put(s.module() + "." + r.getString(1), new long[] {r.getLong(2), r.getLong(3), r.getLong(4)});
                }
            }
        }
        return out;
    }

    /** The cluster's next transaction id: rows written from here on have an xmin at least this. */
    static long nextTransaction(Suite suite) throws SQLException {
        try (Connection c = suite.database(Service.SUBSCRIPTIONS); ResultSet r = c.createStatement().executeQuery("SELECT txid_current()")) {
            r.next();
            return r.getLong(1) + 1;
        }
    }

    /** Per table, the rows whose current version a transaction from {@code from} on wrote (inserted or updated). */
    static Map<String, Long> writtenSince(Suite suite, long from) throws SQLException {
        Map<String, Long> out = new TreeMap<>();
        for (Service s : Service.values()) {
            try (Connection c = suite.database(s)) {
                java.util.List<String> tables = new java.util.ArrayList<>();
                try (ResultSet r = c.createStatement().executeQuery("SELECT " + NAME + " FROM pg_stat_user_tables WHERE relname <> 'flyway_schema_history'")) {
                    while (r.next()) {
                        tables.add(r.getString(1));
                    }
                }
                for (String table : tables) {
                    String quoted = "\"" + table.replace(".", "\".\"") + "\"";
                    if (!table.contains(".")) {
                        quoted = "\"public\"." + quoted;
                    }
                    try (ResultSet r = c.createStatement().executeQuery("SELECT count(*) FROM " + quoted + " WHERE xmin::text::bigint >= " + from)) {
                        r.next();
                        if (r.getLong(1) > 0) {
                            out.put(s.module() + "." + table, r.getLong(1));
                        }
                    }
                }
            }
        }
        return out;
    }

    static Map<String, long[]> between(Map<String, long[]> before, Map<String, long[]> after) {
        Map<String, long[]> out = new TreeMap<>();
        after.forEach((table, a) -> {
            long[] b = before.getOrDefault(table, new long[3]);
            long[] d = {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
            if (d[0] != 0 || d[1] != 0 || d[2] != 0) {
                out.put(table, d);
            }
        });
        return out;
    }

    /**
     * Prints, per table any of them wrote, per renewal: the rows the storm wrote (exact), its write
     * operations (inserted/updated/deleted, the counters), and the rows the floor wrote (its statements' counts).
     */
    static void print(String title, Map<String, Long> storm, Map<String, long[]> operations, Map<String, long[]> floor, long renewals) {
        System.out.printf("  %s, per renewal: rows the storm wrote (xmin) | its writes inserted/updated/deleted (pg_stat_user_tables) "
                + "| rows the same-writes floor wrote (its statements) inserted/updated:%n", title);
        long[] totals = new long[7];
        java.util.Set<String> tables = new TreeSet<>(storm.keySet());
        tables.addAll(operations.keySet());
        tables.addAll(floor.keySet());
        for (String table : tables) {
            long rows = storm.getOrDefault(table, 0L);
            long[] o = operations.getOrDefault(table, new long[3]);
            long[] f = floor.getOrDefault(table, new long[3]);
            long[] line = {rows, o[0], o[1], o[2], f[0], f[1], f[0] + f[1]};
            for (int i = 0; i < line.length; i++) {
                totals[i] += line[i];
            }
            System.out.println(line(table, line, renewals));
        }
        System.out.println(line("all tables", totals, renewals));
    }

    private static String line(String table, long[] v, long renewals) {
        double n = renewals;
        return String.format("    %-42s %5.2f | %5.2f/%5.2f/%5.2f | %5.2f/%5.2f = %5.2f", table, v[0] / n, v[1] / n, v[2] / n, v[3] / n,
                v[4] / n, v[5] / n, v[6] / n);
    }

}
