package dev.tally.subscriptions.repository;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.subscriptions.PendingChangeView;
import dev.tally.contracts.subscriptions.SubscriptionState;
import dev.tally.subscriptions.domain.BillingPeriod;
import dev.tally.subscriptions.domain.ChargeLine;
import dev.tally.subscriptions.domain.CustomerBalance;
import dev.tally.subscriptions.domain.Money;
import dev.tally.subscriptions.domain.PendingChange;
import dev.tally.subscriptions.domain.Subscription;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;

/** Subscriptions (the domain aggregate, one per account) and their charge lines. Queries only. */
@ApplicationScoped
public class SubscriptionRepository {
    private static final String SAVE = "UPDATE subscription SET plan_code = $2, plan_version = $3, billing_interval = $4, status = $5, "
            + "period_anchor = $6, period_start = $7, period_end = $8, cancel_at_period_end = $9, "
            + "pending_change = $10::text::jsonb, customer_balance_minor = $11, customer_balance_currency = $12, "
            + "revision = $13 WHERE account_id = $1 AND revision = $13 - 1";
    /** {@link #SAVE} of a change with what it owes in arrears, only if the row still owes what the change was decided on ($15). */
    private static final String SAVE_CHANGE = SAVE.replace(" WHERE ", ", accrual = $14::text::jsonb WHERE ")
            + " AND accrual IS NOT DISTINCT FROM $15::text::jsonb";
    private static final String SAVE_ALL = "UPDATE subscription s SET plan_code = u.plan_code, plan_version = u.plan_version, "
            + "billing_interval = u.billing_interval, status = u.status, period_anchor = u.period_anchor, period_start = u.period_start, "
            + "period_end = u.period_end, cancel_at_period_end = u.cancel_at_period_end, pending_change = u.pending_change::jsonb, "
            + "customer_balance_minor = u.balance, customer_balance_currency = u.currency, revision = u.revision "
            + "FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::timestamptz[], "
            + "$9::boolean[], $10::text[], $11::bigint[], $12::text[], $13::bigint[]) AS u(account_id, plan_code, plan_version, billing_interval, "
            + "status, period_anchor, period_start, period_end, cancel_at_period_end, pending_change, balance, currency, revision) "
            + "WHERE s.account_id = u.account_id AND s.account_id = ANY($1) AND s.revision = u.revision - 1";
    private static final Class<?>[] SAVE_TYPES = {String.class, String.class, Integer.class, String.class, String.class, OffsetDateTime.class,
        OffsetDateTime.class, OffsetDateTime.class, Boolean.class, String.class, Long.class, String.class, Long.class};

    /** A charge line of a subscription, with the payment that settled it (null while unsettled). */
    /** A charge line to store; {@code actedBy} and {@code reason} name support (an admin) when it made the change for the account. */
    public record Charge(Subscription subscription, ChargeLine line, String paymentRef, Instant at, String actedBy, String reason) {
        public Charge(Subscription subscription, ChargeLine line, String paymentRef, Instant at) {
            this(subscription, line, paymentRef, at, null, null);
        }
    }
    private final ObjectMapper json;

    public SubscriptionRepository(ObjectMapper json) {
        this.json = json;
    }

    public Uni<Optional<Subscription>> find(SqlClient client, String accountId) {
        return client.preparedQuery("SELECT * FROM subscription WHERE account_id = $1").execute(Tuple.of(accountId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toSubscription(rows.iterator().next())));
    }

    /** The subscription, locked for the rest of the transaction: changes to one subscription happen one at a time. */
    public Uni<Optional<Subscription>> lock(SqlConnection tx, String accountId) {
        return tx.preparedQuery("SELECT * FROM subscription WHERE account_id = $1 FOR UPDATE").execute(Tuple.of(accountId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toSubscription(rows.iterator().next())));
    }

    /** The accounts' subscriptions, locked in account order (so two batches never wait on each other in a cycle). */
    public Uni<Map<String, Subscription>> lockAll(SqlConnection tx, List<String> accountIds) {
        return tx.preparedQuery("SELECT * FROM subscription WHERE account_id = ANY($1) ORDER BY account_id FOR UPDATE")
                .execute(Tuple.of(accountIds.toArray(String[]::new))).map(rows -> {
                    Map<String, Subscription> found = new HashMap<>();
                    rows.forEach(r -> found.put(r.getString("account_id"), toSubscription(r)));
                    return found;
                });
    }

    /** Inserts the subscription unless the account has one; true when this call created it. */
    public Uni<Boolean> insertIfAbsent(SqlConnection tx, Subscription s, Instant now) {
        return tx.preparedQuery("INSERT INTO subscription (id, account_id, plan_code, plan_version, billing_interval, status, "
                        + "period_anchor, period_start, period_end, cancel_at_period_end, customer_balance_minor, "
                        + "customer_balance_currency, revision, created_at) "
                        + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT (account_id) DO NOTHING")
                .execute(Tuple.from(List.of(s.id(), s.accountId(), s.planCode(), s.planVersion(), s.interval().name(),
                        s.status().name(), at(s.anchor()), at(s.period().start()), at(s.period().end()), s.cancelAtPeriodEnd(),
                        s.balance().balance().minor(), s.balance().balance().currency(), s.revision(), at(now))))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Saves a changed subscription; its revision must be one more than the stored one (no lost update). */
    public Uni<Void> save(SqlConnection tx, Subscription s) {
        return saveAll(tx, List.of(s));
    }

    /**
     * Saves {@code after} only if the row is still at the revision it was decided on (one less) and,
     * when {@code before} is given, still owes in arrears what {@code before} owed: the change's
     * accrual is saved in the same statement. One statement that takes the row's lock; false (nothing
     * written) when the row moved, so the caller locks it and looks at what it became.
     */
    public Uni<Boolean> saveIfUnmoved(SqlConnection tx, Subscription after, Subscription before) {
        if (before == null) {
            return tx.preparedQuery(SAVE).execute(saved(after)).map(rows -> rows.rowCount() == 1);
        }
        Tuple row = saved(after).addValue(AccrualJson.write(json, after.accrual())).addValue(AccrualJson.write(json, before.accrual()));
        return tx.preparedQuery(SAVE_CHANGE).execute(row).map(rows -> rows.rowCount() == 1);
    }

    /** Saves changed subscriptions in one round trip, in order; each revision must be one more than the stored one. */
    public Uni<Void> saveAll(SqlConnection tx, List<Subscription> changed) {
        if (changed.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        if (changed.size() == 1 || changed.stream().map(Subscription::accountId).distinct().count() < changed.size()) {
            // one statement per save: a subscription saved twice in a batch goes through its revisions in order
            return tx.preparedQuery(SAVE).executeBatch(changed.stream().map(this::saved).toList()).map(rows -> {
                for (int i = 0; rows != null; i++, rows = rows.next()) {
                    if (rows.rowCount() != 1) {
                        throw new IllegalStateException("subscription " + changed.get(i).accountId() + " changed concurrently");
                    }
                }
                return null;
            }).replaceWithVoid();
        }
        List<Tuple> rows = changed.stream().map(this::saved).toList();
        Tuple columns = Tuple.tuple();
        for (int c = 0; c < SAVE_TYPES.length; c++) {
            int column = c;
            columns.addValue(rows.stream().map(r -> r.getValue(column)).toArray(n -> newArray(SAVE_TYPES[column], n)));
        }
        return tx.preparedQuery(SAVE_ALL).execute(columns).map(result -> {
            if (result.rowCount() != changed.size()) {
                throw new IllegalStateException((changed.size() - result.rowCount()) + " of " + changed.size()
                        + " subscriptions changed concurrently");
            }
            return null;
        }).replaceWithVoid();
    }

    private static Object[] newArray(Class<?> type, int n) {
        return (Object[]) java.lang.reflect.Array.newInstance(type, n);
    }

    private Tuple saved(Subscription s) {
        return Tuple.from(Arrays.asList(s.accountId(), s.planCode(), s.planVersion(), s.interval().name(),
                s.status().name(), at(s.anchor()), at(s.period().start()), at(s.period().end()), s.cancelAtPeriodEnd(),
                s.pending().map(p -> write(p.toView())).orElse(null), s.balance().balance().minor(),
                s.balance().balance().currency(), s.revision()));
    }

    /**
     * Saves what the subscriptions owe in arrears ({@link Subscription#accrual()}), in the caller's
     * transaction, with their rows locked. Kept apart from {@link #saveAll}: only the paths that bill
     * in arrears (a change, the usage close, the period end) move it, each deciding on what it locked.
     */
    public Uni<Void> saveAccruals(SqlConnection tx, List<Subscription> changed) {
        if (changed.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("UPDATE subscription SET accrual = $2::text::jsonb WHERE id = $1")
                .executeBatch(changed.stream().map(s -> Tuple.of(s.id(), AccrualJson.write(json, s.accrual()))).toList())
                .replaceWithVoid();
    }

    /** Stores charge lines as they are (corrections are new lines), in one statement, in order; each names the payment that settled it. */
    public Uni<Void> chargeAll(SqlConnection tx, List<Charge> charges) {
        if (charges.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("INSERT INTO charge (account_id, subscription_id, kind, description, period_start, period_end, "
                        + "amount_minor, currency, payment_ref, created_at, acted_by, reason) SELECT c.account_id, c.subscription_id, c.kind, "
                        + "c.description, c.period_start, c.period_end, c.amount_minor, c.currency, c.payment_ref, c.created_at, c.acted_by, c.reason "
                        + "FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[], $7::bigint[], "
                        + "$8::text[], $9::text[], $10::timestamptz[], $11::text[], $12::text[]) WITH ORDINALITY AS c(account_id, subscription_id, "
                        + "kind, description, period_start, period_end, amount_minor, currency, payment_ref, created_at, acted_by, reason, n) ORDER BY c.n")
                .execute(Tuple.tuple(List.of(
                        charges.stream().map(c -> c.subscription().accountId()).toArray(String[]::new),
                        charges.stream().map(c -> c.subscription().id()).toArray(java.util.UUID[]::new),
                        charges.stream().map(c -> c.line().kind().name()).toArray(String[]::new),
                        charges.stream().map(c -> c.line().description()).toArray(String[]::new),
                        charges.stream().map(c -> at(c.line().period().start())).toArray(OffsetDateTime[]::new),
                        charges.stream().map(c -> at(c.line().period().end())).toArray(OffsetDateTime[]::new),
                        charges.stream().map(c -> c.line().amount().minor()).toArray(Long[]::new),
                        charges.stream().map(c -> c.line().amount().currency()).toArray(String[]::new),
                        charges.stream().map(Charge::paymentRef).toArray(String[]::new),
                        charges.stream().map(c -> at(c.at())).toArray(OffsetDateTime[]::new),
                        charges.stream().map(Charge::actedBy).toArray(String[]::new),
                        charges.stream().map(Charge::reason).toArray(String[]::new))))
                .replaceWithVoid();
    }

    private Subscription toSubscription(Row r) {
        Object stored = r.getValue("pending_change");
        PendingChangeView pending = stored == null ? null : read(stored.toString());
        return new Subscription(r.getUUID("id"), r.getString("account_id"), r.getString("plan_code"), r.getInteger("plan_version"),
                BillingInterval.valueOf(r.getString("billing_interval")), SubscriptionState.Status.valueOf(r.getString("status")),
                r.getOffsetDateTime("period_anchor").toInstant(),
                new BillingPeriod(r.getOffsetDateTime("period_start").toInstant(), r.getOffsetDateTime("period_end").toInstant()),
                r.getBoolean("cancel_at_period_end"), pending == null ? null : PendingChange.fromView(pending),
                new CustomerBalance(new Money(r.getLong("customer_balance_minor"), r.getString("customer_balance_currency"))),
                r.getLong("revision"), AccrualJson.read(json, r.getValue("accrual")));
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private PendingChangeView read(String text) {
        try {
            return json.readValue(text, PendingChangeView.class);
        } catch (Exception e) {
            throw new IllegalStateException("unreadable pending change", e);
        }
    }

    public static OffsetDateTime at(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }
}
