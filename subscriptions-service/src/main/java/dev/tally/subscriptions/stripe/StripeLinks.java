package dev.tally.subscriptions.stripe;

import dev.tally.backbone.tx.Transactions;
import dev.tally.backbone.tx.Tx;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * What links an account to Stripe: its customer, its Stripe subscription, its checkout sessions, the
 * webhook events applied. Reads made with no transaction open (the gateway's, before it calls
 * Stripe) go through the entities in a session of their own. Reads and writes inside a transaction
 * take it ({@link Tx}) and run as its statements, on whichever connection it is: a webhook applies
 * its event on a connection transaction, as the subscription's native paths it joins need.
 */
@ApplicationScoped
public class StripeLinks {
    private static final String SUBSCRIPTION = "SELECT account_id, subscription_id, item_id, price_id, status, cancel_at_period_end, "
            + "last_event_created, past_due_since FROM stripe_subscription ";
    private final Transactions transactions;

    public StripeLinks(Transactions transactions) {
        this.transactions = transactions;
    }

    /** The Stripe subscription billing an account's plan, as the last applied event left it. */
    public record StripeSubscription(String accountId, String subscriptionId, String itemId, String priceId, String status,
                                     boolean cancelAtPeriodEnd, long lastEventCreated, Instant pastDueSince) {
    }

    /** A checkout session waiting for Stripe's confirmation (or confirmed). */
    public record Checkout(String id, String accountId, String kind, String target, String interval, String url, String status) {
    }

    /** The account's Stripe customer (no transaction open). */
    public Uni<Optional<String>> customer(String accountId) {
        return transactions.inSession(tx -> tx.session().find(StripeCustomerLink.class, accountId))
                .map(link -> Optional.ofNullable(link).map(l -> l.customerId));
    }

    /** Links the customer unless the account has one already (no transaction open); the customer linked in the end. */
    public Uni<String> linkCustomer(String accountId, String customerId, Instant now) {
        return transactions.inSession(tx -> tx.session().createMutationQuery("insert into StripeCustomerLink (accountId, customerId, createdAt) "
                                + "values (:account, :customer, :now) on conflict (accountId) do nothing")
                        .setParameter("account", accountId).setParameter("customer", customerId).setParameter("now", now).executeUpdate())
                .flatMap(x -> customer(accountId)).map(Optional::orElseThrow);
    }

    /** The account's Stripe subscription (no transaction open). */
    public Uni<Optional<StripeSubscription>> subscription(String accountId) {
        return transactions.inSession(tx -> tx.session().find(StripeSubscriptionLink.class, accountId))
                .map(link -> Optional.ofNullable(link).map(StripeSubscriptionLink::view));
    }

    /** Up to 100 past-due subscriptions whose grace ended by {@code now}, soonest first: account and subscription ids. */
    public Uni<List<String[]>> gracesEnded(Instant now) {
        return transactions.onConnection(tx -> tx.rows("SELECT account_id, subscription_id FROM stripe_subscription WHERE past_due_since "
                        + "IS NOT NULL AND status <> 'canceled' AND grace_ends_at <= $1 ORDER BY grace_ends_at LIMIT 100", at(now)))
                .map(rows -> rows.stream().map(r -> new String[] {(String) r[0], (String) r[1]}).toList());
    }

    /** Records an opened checkout session, in the request's session transaction. */
    public Uni<Void> saveCheckout(Tx tx, Checkout c, Instant now) {
        var session = new CheckoutSession();
        session.id = c.id();
        session.accountId = c.accountId();
        session.kind = c.kind();
        session.target = c.target();
        session.interval = c.interval();
        session.url = c.url();
        session.status = c.status();
        session.createdAt = now;
        return tx.session().persist(session);
    }

    public Uni<Optional<String>> accountOfCustomer(Tx tx, String customerId) {
        return tx.rows("SELECT account_id FROM stripe_customer WHERE customer_id = $1", customerId)
                .map(rows -> rows.stream().findFirst().map(r -> (String) r[0]));
    }

    /** The account's Stripe subscription, read in {@code tx}. */
    public Uni<Optional<StripeSubscription>> subscription(Tx tx, String accountId) {
        return tx.rows(SUBSCRIPTION + "WHERE account_id = $1", accountId).map(StripeLinks::first);
    }

    public Uni<Optional<StripeSubscription>> lockSubscriptionById(Tx tx, String subscriptionId) {
        return tx.rows(SUBSCRIPTION + "WHERE subscription_id = $1 FOR UPDATE", subscriptionId).map(StripeLinks::first);
    }

    public Uni<Void> saveSubscription(Tx tx, StripeSubscription s, Instant now) {
        return tx.update("INSERT INTO stripe_subscription (account_id, subscription_id, item_id, price_id, status, "
                        + "cancel_at_period_end, last_event_created, past_due_since, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
                        + "ON CONFLICT (account_id) DO UPDATE SET subscription_id = excluded.subscription_id, item_id = excluded.item_id, "
                        + "price_id = excluded.price_id, status = excluded.status, cancel_at_period_end = excluded.cancel_at_period_end, "
                        + "last_event_created = excluded.last_event_created, past_due_since = excluded.past_due_since, updated_at = excluded.updated_at",
                s.accountId(), s.subscriptionId(), s.itemId(), s.priceId(), s.status(), s.cancelAtPeriodEnd(), s.lastEventCreated(),
                at(s.pastDueSince()), at(now)).replaceWithVoid();
    }

    /** When the subscription's past-due grace ends (null: no grace running). */
    public Uni<Void> graceEndsAt(Tx tx, String subscriptionId, Instant endsAt) {
        return tx.update("UPDATE stripe_subscription SET grace_ends_at = $2 WHERE subscription_id = $1", subscriptionId, at(endsAt))
                .replaceWithVoid();
    }

    /** Marks the subscription cancelled (its grace ran out); false when it was already. */
    public Uni<Boolean> cancel(Tx tx, String subscriptionId) {
        return tx.update("UPDATE stripe_subscription SET status = 'canceled' WHERE subscription_id = $1 AND status <> 'canceled'",
                subscriptionId).map(updated -> updated == 1);
    }

    /** What Tally itself just set on the Stripe subscription (its price, cancel at period end), before Stripe's webhook confirms it. */
    public Uni<Void> mirror(Tx tx, String subscriptionId, String priceId, boolean cancelAtPeriodEnd, Instant now) {
        return tx.update("UPDATE stripe_subscription SET price_id = $2, cancel_at_period_end = $3, updated_at = $4 WHERE subscription_id = $1",
                subscriptionId, priceId, cancelAtPeriodEnd, at(now)).replaceWithVoid();
    }

    /** Marks the session completed; empty when it was already (or is unknown). */
    public Uni<Optional<Checkout>> complete(Tx tx, String sessionId, Instant now) {
        return tx.rows("UPDATE checkout_session SET status = 'COMPLETED', completed_at = $2 WHERE id = $1 AND status = 'OPEN' "
                        + "RETURNING id, account_id, kind, target, interval, url, status", sessionId, at(now))
                .map(rows -> rows.stream().findFirst().map(r -> new Checkout((String) r[0], (String) r[1], (String) r[2], (String) r[3],
                        (String) r[4], (String) r[5], (String) r[6])));
    }

    /** A session the customer abandoned (Stripe expired it): it can no longer be completed here. */
    public Uni<Void> expire(Tx tx, String sessionId) {
        return tx.update("UPDATE checkout_session SET status = 'EXPIRED' WHERE id = $1 AND status = 'OPEN'", sessionId).replaceWithVoid();
    }

    /** Records a webhook event id; false when it was recorded before (a replay). */
    public Uni<Boolean> recordEvent(Tx tx, String id, String type, long created, Instant now) {
        return tx.update("INSERT INTO stripe_event (id, type, created, received_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                id, type, created, at(now)).map(inserted -> inserted == 1);
    }

    private static Optional<StripeSubscription> first(List<Object[]> rows) {
        return rows.stream().findFirst().map(r -> new StripeSubscription((String) r[0], (String) r[1], (String) r[2], (String) r[3],
                (String) r[4], (Boolean) r[5], ((Number) r[6]).longValue(), instant(r[7])));
    }

    /** A timestamptz as either driver answers it. */
    static Instant instant(Object value) {
        if (value == null || value instanceof Instant) {
            return (Instant) value;
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof java.util.Date d) {
            return d.toInstant();
        }
        return value instanceof java.time.LocalDateTime l ? l.toInstant(ZoneOffset.UTC) : OffsetDateTime.parse(value.toString()).toInstant();
    }

    static OffsetDateTime at(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }
}
