package dev.tally.e2e.bench;

import dev.tally.e2e.Suite;
import dev.tally.e2e.Suite.Service;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Seeding for large renewal storms (and the warm-up storm before them): the API seeds a few thousand accounts (about 80 changes a
 * second on two cores), then each service's rows of those accounts are copied in bulk SQL until
 * there are N. A copy of account {@code a} is {@code a~g}; its subscription id is the same
 * {@code md5} of that name in every database, so the copies agree across services as the
 * originals do. Credits get one GRANT entry per copied live bucket, so the ledger check holds.
 * Only what a renewal reads is copied (subscriptions, unfired timers and their revisions, credit
 * accounts, live buckets and entitlement projections: a real account has its projection row, so its
 * renewal announces no {@code entitlements.changed}); history (charges, old ledger entries, inbox,
 * outbox) is not.
 */
final class SeedCopies {
    private static final String PAIRS = " JOIN unnest(?::text[]) WITH ORDINALITY AS tpl(account_id, n) ON t.account_id = tpl.account_id "
            + "CROSS JOIN generate_series(1, ?) AS g WHERE (g - 1) * ? + (tpl.n - 1) < ?";
    private static final List<String> TIMES = List.of("period_anchor", "period_start", "period_end", "due_at");

    private final Suite suite;

    SeedCopies(Suite suite) {
        this.suite = suite;
    }

    /**
     * Adds {@code copies} accounts copied round-robin from {@code templates}, named {@code prefix}
     * + template + {@code ~n}, their periods and timers moved {@code earlier}; returns the rows written.
     */
    String copy(List<String> templates, int copies, String prefix, java.time.Duration earlier) throws SQLException {
        if (copies <= 0) {
            return "no copies";
        }
        String copy = "'" + prefix.replace("'", "") + "' || t.account_id || '~' || g";
        String shift = " - interval '" + earlier.toSeconds() + " seconds'";
        int rounds = (copies + templates.size() - 1) / templates.size();
        long subscriptions;
        long timers;
        long buckets;
        try (Connection c = suite.database(Service.SUBSCRIPTIONS)) {
            subscriptions = insert(c, "subscription", "id", "md5(" + copy + ")::uuid", "", copy, shift, templates, rounds, copies);
            analyze(c, "subscription");
        }
        try (Connection c = suite.database(Service.SCHEDULER)) {
            timers = insert(c, "timer", "subscription_id", "md5(" + copy + ")::uuid", " AND t.fired_at IS NULL", copy, shift, templates, rounds, copies);
            run(c, "INSERT INTO subscription_revision (subscription_id, revision) SELECT DISTINCT md5(" + copy + ")::uuid, r.revision "
                    + "FROM (SELECT DISTINCT subscription_id, account_id FROM timer) t JOIN subscription_revision r USING (subscription_id)"
                    + PAIRS, templates, rounds, copies);
            analyze(c, "timer");
        }
        try (Connection c = suite.database(Service.CREDITS)) {
            insert(c, "credit_account", null, null, "", copy, shift, templates, rounds, copies);
            insert(c, "entitlement", "subscription_id", "md5(" + copy + ")::uuid", "", copy, shift, templates, rounds, copies);
            buckets = run(c, "WITH copied AS (INSERT INTO credit_bucket (account_id, kind, remaining, expires_at, created_at) "
                    + "SELECT " + copy + ", t.kind, t.remaining, t.expires_at, t.created_at FROM credit_bucket t" + PAIRS + " AND t.live "
                    + "RETURNING id, account_id, kind, remaining, created_at) "
                    + "INSERT INTO ledger_entry (account_id, bucket_id, bucket, kind, amount, reason, reference, created_at) "
                    + "SELECT account_id, id, kind, 'GRANT', remaining, 'benchmark seed: copy of a seeded account''s live bucket', 'bench-seed', created_at "
                    + "FROM copied", templates, rounds, copies);
            analyze(c, "credit_account");
            analyze(c, "entitlement");
            analyze(c, "credit_bucket");
            analyze(c, "ledger_entry");
        }
        return String.format("%,d subscriptions, %,d timers, %,d credit buckets", subscriptions, timers, buckets);
    }

    /** Copies {@code table}'s rows of the templates, the account id renamed and {@code key} (if any) set to {@code keyValue}. */
    private long insert(Connection c, String table, String key, String keyValue, String where, String copy, String shift,
                        List<String> templates, int rounds, int copies) throws SQLException {
        List<String> columns = new ArrayList<>();
        List<String> values = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT column_name, coalesce(column_default, '') FROM information_schema.columns "
                + "WHERE table_name = ? AND table_schema = current_schema() AND is_generated = 'NEVER' ORDER BY ordinal_position")) {
            s.setString(1, table);
            try (var r = s.executeQuery()) {
                while (r.next()) {
                    String column = r.getString(1);
                    if (r.getString(2).startsWith("nextval(")) {
                        continue; // a serial id: the copy gets its own
                    }
                    columns.add(column);
                    values.add(column.equals("account_id") ? copy : column.equals(key) ? keyValue
                            : TIMES.contains(column) && !table.equals("credit_account") ? "t." + column + shift : "t." + column);
                }
            }
        }
        return run(c, "INSERT INTO " + table + " (" + String.join(", ", columns) + ") SELECT " + String.join(", ", values)
                + " FROM " + table + " t" + PAIRS + where, templates, rounds, copies);
    }

    private static long run(Connection c, String sql, List<String> templates, int rounds, int copies) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setArray(1, c.createArrayOf("text", templates.toArray()));
            s.setInt(2, rounds);
            s.setInt(3, templates.size());
            s.setInt(4, copies);
            return s.executeUpdate();
        }
    }

    private static void analyze(Connection c, String table) throws SQLException {
        try (var s = c.createStatement()) {
            s.execute("ANALYZE " + table);
        }
    }
}
