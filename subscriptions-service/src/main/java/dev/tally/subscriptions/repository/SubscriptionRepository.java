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
    private static final String CHARGE = "INSERT INTO charge (account_id, subscription_id, kind, description, period_start, period_end, "
            + "amount_minor, currency, payment_ref, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";

    /** A charge line of a subscription, with the payment that settled it (null while unsettled). */
    public record Charge(Subscription subscription, ChargeLine line, String paymentRef, Instant at) {
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

    /** Saves changed subscriptions in one round trip, in order; each revision must be one more than the stored one. */
    public Uni<Void> saveAll(SqlConnection tx, List<Subscription> changed) {
        if (changed.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery(SAVE).executeBatch(changed.stream().map(this::saved).toList()).map(rows -> {
            for (int i = 0; rows != null; i++, rows = rows.next()) {
                if (rows.rowCount() != 1) {
                    throw new IllegalStateException("subscription " + changed.get(i).accountId() + " changed concurrently");
                }
            }
            return null;
        }).replaceWithVoid();
    }

    private Tuple saved(Subscription s) {
        return Tuple.from(Arrays.asList(s.accountId(), s.planCode(), s.planVersion(), s.interval().name(),
                s.status().name(), at(s.anchor()), at(s.period().start()), at(s.period().end()), s.cancelAtPeriodEnd(),
                s.pending().map(p -> write(p.toView())).orElse(null), s.balance().balance().minor(),
                s.balance().balance().currency(), s.revision()));
    }

    /** Stores one charge line as it is (corrections are new lines); {@code paymentRef} names the payment that settled it. */
    public Uni<Void> charge(SqlConnection tx, Subscription s, ChargeLine line, String paymentRef, Instant now) {
        return chargeAll(tx, List.of(new Charge(s, line, paymentRef, now)));
    }

    /** Stores charge lines in one round trip. */
    public Uni<Void> chargeAll(SqlConnection tx, List<Charge> charges) {
        if (charges.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery(CHARGE).executeBatch(charges.stream().map(c -> Tuple.from(Arrays.asList(c.subscription().accountId(),
                        c.subscription().id(), c.line().kind().name(), c.line().description(), at(c.line().period().start()),
                        at(c.line().period().end()), c.line().amount().minor(), c.line().amount().currency(), c.paymentRef(), at(c.at()))))
                .toList()).replaceWithVoid();
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
                r.getLong("revision"));
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
