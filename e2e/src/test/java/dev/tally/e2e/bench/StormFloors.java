package dev.tally.e2e.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.e2e.Suite;
import dev.tally.e2e.Suite.Service;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The renewal storm's two floors, both over the storm's own due rows, timed and rolled back (its
 * data is not disturbed). {@link #oneUpdate}: one UPDATE moving the subscription rows to their next
 * period. {@link #sameWrites}: the rows a renewal leaves behind in every table it writes, in bulk
 * SQL, one transaction per database: in subscriptions-service the subscription's new period, its
 * charge line, the inbox row of the scheduler's command and the outbox row of subscription.renewed;
 * in the scheduler the fired timer, the next one, the subscription's revision, the inbox row of the
 * event and the outbox row of the command; in credits-service the account's new period and
 * revision, each live bucket forfeited (SUBSCRIPTION) or expired (DAILY) with its ledger entry and
 * event, the new period's bucket with its GRANT entry and event, the entitlement (announced when
 * new) and the inbox row.
 * Outbox rows are written already marked sent (where the relay leaves them). The account ids (and
 * the due timers' ids) are read first, untimed, as the services find them by key.
 */
final class StormFloors {
    /** What the same-writes floor took and wrote: seconds (the three transactions, one after another) and rows per table. */
    record Floor(double seconds, Map<String, long[]> rows) {
    }

    static final int INSERTED = 0;
    static final int UPDATED = 1;

    private final Suite suite;

    StormFloors(Suite suite) {
        this.suite = suite;
    }

    double oneUpdate(String prefix, int count) throws SQLException {
        try (Connection c = suite.database(Service.SUBSCRIPTIONS)) {
            Array accounts = accounts(c, "subscription", prefix);
            c.setAutoCommit(false);
            long started = System.nanoTime();
            long rows = run(c, "UPDATE subscription SET period_start = period_end, period_end = period_end + interval '1 month', "
                    + "revision = revision + 1 WHERE account_id = ANY(?)", accounts);
            double seconds = (System.nanoTime() - started) / 1e9;
            c.rollback();
            assertEquals(count, rows, "the floor updates the storm's rows");
            return seconds;
        }
    }

    /** VACUUM in the three databases the floors wrote, so that the storm after them meets no dead rows of theirs. */
    void vacuum() throws SQLException {
        for (Service s : new Service[] {Service.SUBSCRIPTIONS, Service.SCHEDULER, Service.CREDITS}) {
            try (Connection c = suite.database(s); var statement = c.createStatement()) {
                c.setAutoCommit(true);
                statement.execute("VACUUM");
            }
        }
    }

    Floor sameWrites(String prefix, int count) throws SQLException {
        Map<String, long[]> rows = new LinkedHashMap<>();
        double seconds = subscriptions(prefix, rows) + scheduler(prefix, rows) + credits(prefix, rows);
        assertEquals(count, rows.get("subscriptions-service.subscription")[UPDATED], "the floor renews the storm's subscriptions");
        return new Floor(seconds, rows);
    }

    private double subscriptions(String prefix, Map<String, long[]> rows) throws SQLException {
        try (Connection c = suite.database(Service.SUBSCRIPTIONS)) {
            Array accounts = accounts(c, "subscription", prefix);
            String renewed = payload(c, "subscription.renewed");
            c.setAutoCommit(false);
            long started = System.nanoTime();
            String s = "subscriptions-service.";
            write(rows, s + "subscription", UPDATED, run(c, "UPDATE subscription SET period_start = period_end, "
                    + "period_end = period_end + interval '1 month', revision = revision + 1 WHERE account_id = ANY(?)", accounts));
            write(rows, s + "charge", INSERTED, run(c, "INSERT INTO charge (account_id, subscription_id, kind, description, period_start, period_end, "
                    + "amount_minor, currency, payment_ref, created_at) SELECT s.account_id, s.id, 'RENEWAL', 'Plus (monthly), renewal', "
                    + "s.period_start, s.period_end, 1000, 'USD', 'local-' || s.id || '-' || s.revision, clock_timestamp() "
                    + "FROM subscription s WHERE s.account_id = ANY(?)", accounts));
            write(rows, s + "inbox_event", INSERTED, inbox(c, "subscriptions-service", "period.ended", accounts));
            write(rows, s + "outbox_event", INSERTED, run(c, outbox("tally.subscriptions.v1", "subscription.renewed", "s.account_id", "s.period_start", renewed)
                    + " FROM subscription s WHERE s.account_id = ANY(?)", accounts));
            double seconds = (System.nanoTime() - started) / 1e9;
            c.rollback();
            return seconds;
        }
    }

    private double scheduler(String prefix, Map<String, long[]> rows) throws SQLException {
        try (Connection c = suite.database(Service.SCHEDULER)) {
            Array accounts = accounts(c, "timer", prefix);
            String command = payload(c, "period.ended");
            List<Long> due = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT id FROM timer WHERE account_id LIKE ? AND fired_at IS NULL AND kind = 'period-end'")) {
                q.setString(1, prefix + "%");
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        due.add(r.getLong(1));
                    }
                }
            }
            c.setAutoCommit(false);
            long started = System.nanoTime();
            String s = "billing-scheduler.";
            Array ids = c.createArrayOf("bigint", due.toArray());
            write(rows, s + "timer", UPDATED, run(c, "UPDATE timer SET fired_at = clock_timestamp() WHERE id = ANY(?)", ids));
            write(rows, s + "timer", INSERTED, run(c, "INSERT INTO timer (subscription_id, account_id, kind, due_at, period_start, period_end) "
                    + "SELECT subscription_id, account_id, kind, period_end + interval '1 month', period_end, period_end + interval '1 month' "
                    + "FROM timer WHERE id = ANY(?)", ids));
            write(rows, s + "subscription_revision", UPDATED, run(c, "UPDATE subscription_revision SET revision = revision + 1 "
                    + "WHERE subscription_id IN (SELECT subscription_id FROM timer WHERE id = ANY(?))", ids));
            write(rows, s + "inbox_event", INSERTED, inbox(c, "billing-scheduler", "subscription.renewed", accounts));
            write(rows, s + "outbox_event", INSERTED, run(c, outbox("tally.billing-commands.v1", "period.ended", "t.account_id", "t.due_at", command)
                    + " FROM timer t WHERE t.id = ANY(?)", ids));
            double seconds = (System.nanoTime() - started) / 1e9;
            c.rollback();
            return seconds;
        }
    }

    private double credits(String prefix, Map<String, long[]> rows) throws SQLException {
        try (Connection c = suite.database(Service.CREDITS)) {
            Array accounts = accounts(c, "credit_account", prefix);
            String forfeited = payload(c, "credits.forfeited");
            String grant = payload(c, "credits.granted");
            String entitlements = payload(c, "entitlements.changed");
            long existing = count(c, "SELECT count(*) FROM entitlement WHERE account_id = ANY(?)", accounts); // an upsert: inserts or updates
            c.setAutoCommit(false);
            long started = System.nanoTime();
            String s = "credits-service.";
            write(rows, s + "credit_account", UPDATED, run(c, "UPDATE credit_account SET period_start = period_end, period_end = period_end + interval '1 month', "
                    + "subscription_revision = subscription_revision + 1, updated_at = clock_timestamp() WHERE account_id = ANY(?)", accounts));
            // each live bucket leaves with an entry and an event: one row each in credit_bucket (U), ledger_entry (I), outbox_event (I)
            long left = run(c, "WITH gone AS (UPDATE credit_bucket b SET remaining = 0 FROM credit_bucket o WHERE o.id = b.id "
                    + "AND b.account_id = ANY(?) AND b.live AND b.kind IN ('SUBSCRIPTION', 'DAILY') RETURNING b.id, b.account_id, b.kind, o.remaining), "
                    + "entries AS (INSERT INTO ledger_entry (account_id, bucket_id, bucket, kind, amount, reason, reference, created_at, effective_at) "
                    + "SELECT account_id, id, kind, CASE kind WHEN 'DAILY' THEN 'EXPIRE' ELSE 'FORFEIT' END, -remaining, 'period ended', "
                    + "'benchmark-floor', clock_timestamp(), clock_timestamp() FROM gone RETURNING account_id) "
                    + outbox("tally.credits.v1", "credits.forfeited", "account_id", "clock_timestamp()", forfeited) + " FROM entries", accounts);
            // the new period's grant: credit_bucket (I), ledger_entry (I), outbox_event (I)
            long granted = run(c, "WITH made AS (INSERT INTO credit_bucket (account_id, kind, remaining, expires_at, created_at) "
                    + "SELECT account_id, 'SUBSCRIPTION', 1000, period_end, clock_timestamp() FROM credit_account WHERE account_id = ANY(?) "
                    + "RETURNING id, account_id, remaining), entries AS (INSERT INTO ledger_entry (account_id, bucket_id, bucket, kind, amount, "
                    + "reason, reference, created_at, effective_at) SELECT account_id, id, 'SUBSCRIPTION', 'GRANT', remaining, "
                    + "'benchmark floor: the period''s credits', 'benchmark-floor', clock_timestamp(), clock_timestamp() FROM made RETURNING account_id) "
                    + outbox("tally.credits.v1", "credits.granted", "account_id", "clock_timestamp()", grant) + " FROM entries", accounts);
            write(rows, s + "credit_bucket", UPDATED, left);
            write(rows, s + "credit_bucket", INSERTED, granted);
            write(rows, s + "ledger_entry", INSERTED, left + granted);
            // an account the projection had no row for gets one, announced (none in a storm: SeedCopies copies the projection rows too)
            long announced = run(c, outbox("tally.credits.v1", "entitlements.changed", "a.account_id", "clock_timestamp()", entitlements)
                    + " FROM unnest(?::text[]) AS a(account_id) WHERE NOT EXISTS (SELECT 1 FROM entitlement e WHERE e.account_id = a.account_id)",
                    accounts);
            write(rows, s + "entitlement", existing == 0 ? INSERTED : UPDATED, run(c, "INSERT INTO entitlement (account_id, subscription_id, plan_code, plan_version, features, seats, "
                    + "billing_mode, period_start, period_end, cancel_at_period_end, revision, updated_at) SELECT a.account_id, md5(a.account_id)::uuid, "
                    + "'plus', 1, ARRAY['pro-models'], 1, 'IN_ADVANCE', coalesce(a.period_start, now()), coalesce(a.period_end, now()), false, a.subscription_revision, clock_timestamp() "
                    + "FROM credit_account a WHERE a.account_id = ANY(?) ON CONFLICT (account_id) DO UPDATE SET period_start = EXCLUDED.period_start, "
                    + "period_end = EXCLUDED.period_end, revision = EXCLUDED.revision, updated_at = EXCLUDED.updated_at", accounts));
            write(rows, s + "inbox_event", INSERTED, inbox(c, "credits-service", "subscription.renewed", accounts));
            write(rows, s + "outbox_event", INSERTED, left + granted + announced);
            double seconds = (System.nanoTime() - started) / 1e9;
            c.rollback();
            return seconds;
        }
    }

    private static void write(Map<String, long[]> rows, String table, int kind, long n) {
        rows.computeIfAbsent(table, t -> new long[3])[kind] += n;
    }

    private static long count(Connection c, String sql, Array ids) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setArray(1, ids);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    /**
     * An outbox INSERT ... SELECT head (the caller adds FROM); its payload a constant ({@link #payload},
     * read untimed), the row already marked sent.
     */
    private static String outbox(String topic, String type, String account, String occurred, String payload) {
        if (payload.contains("$payload$")) {
            throw new IllegalStateException("a payload that cannot be quoted");
        }
        return "INSERT INTO outbox_event (id, topic, message_key, type, subject, payload, occurred_at, sent_at) SELECT gen_random_uuid(), '"
                + topic + "', " + account + ", '" + type + "', " + account + ", $payload$" + payload + "$payload$::jsonb, " + occurred
                + ", clock_timestamp()";
    }

    /** The newest payload of {@code type} in this database (else a filler of like size), read untimed. */
    private static String payload(Connection c, String type) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT coalesce((SELECT payload::text FROM outbox_event WHERE type = ? "
                + "ORDER BY seq DESC LIMIT 1), jsonb_build_object('filler', repeat('x', 600))::text)")) {
            s.setString(1, type);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getString(1);
            }
        }
    }

    private static long inbox(Connection c, String consumer, String type, Array accounts) throws SQLException {
        return run(c, "INSERT INTO inbox_event (consumer, event_id, event_type) SELECT '" + consumer + "', gen_random_uuid()::text, '" + type
                + "' FROM unnest(?::text[])", accounts);
    }

    private static Array accounts(Connection c, String table, String prefix) throws SQLException {
        List<String> accounts = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT DISTINCT account_id FROM " + table + " WHERE account_id LIKE ?")) {
            s.setString(1, prefix + "%");
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    accounts.add(r.getString(1));
                }
            }
        }
        return c.createArrayOf("text", accounts.toArray());
    }

    /** Runs {@code sql} with {@code ids} (an array) as its one parameter; returns the rows written. */
    private static long run(Connection c, String sql, Array ids) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setArray(1, ids);
            return s.executeUpdate();
        }
    }
}
