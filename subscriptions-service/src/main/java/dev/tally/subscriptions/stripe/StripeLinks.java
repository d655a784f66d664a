package dev.tally.subscriptions.stripe;

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
import java.util.Optional;

/** What links an account to Stripe: its customer, its Stripe subscription, its checkout sessions. Queries only. */
@ApplicationScoped
public class StripeLinks {

    /** The Stripe subscription billing an account's plan, as the last applied event left it. */
    public record StripeSubscription(String accountId, String subscriptionId, String itemId, String priceId, String status,
                                     boolean cancelAtPeriodEnd, long lastEventCreated, Instant pastDueSince) {
    }

    /** A checkout session waiting for Stripe's confirmation (or confirmed). */
    public record Checkout(String id, String accountId, String kind, String target, String interval, String url, String status) {
    }

    public Uni<Optional<String>> customer(SqlClient client, String accountId) {
        return client.preparedQuery("SELECT customer_id FROM stripe_customer WHERE account_id = $1").execute(Tuple.of(accountId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString(0)));
    }

    /** Links the customer unless the account has one already; the customer linked in the end. */
    public Uni<String> linkCustomer(SqlClient client, String accountId, String customerId, Instant now) {
        return client.preparedQuery("INSERT INTO stripe_customer (account_id, customer_id, created_at) VALUES ($1, $2, $3) "
                        + "ON CONFLICT (account_id) DO NOTHING").execute(Tuple.of(accountId, customerId, at(now)))
                .flatMap(x -> customer(client, accountId)).map(Optional::orElseThrow);
    }

    public Uni<Optional<String>> accountOfCustomer(SqlClient client, String customerId) {
        return client.preparedQuery("SELECT account_id FROM stripe_customer WHERE customer_id = $1").execute(Tuple.of(customerId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString(0)));
    }

    public Uni<Optional<StripeSubscription>> subscription(SqlClient client, String accountId) {
        return client.preparedQuery("SELECT * FROM stripe_subscription WHERE account_id = $1").execute(Tuple.of(accountId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(subscription(rows.iterator().next())));
    }

    public Uni<Optional<StripeSubscription>> lockSubscriptionById(SqlConnection tx, String subscriptionId) {
        return tx.preparedQuery("SELECT * FROM stripe_subscription WHERE subscription_id = $1 FOR UPDATE").execute(Tuple.of(subscriptionId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(subscription(rows.iterator().next())));
    }

    public Uni<Void> saveSubscription(SqlConnection tx, StripeSubscription s, Instant now) {
        return tx.preparedQuery("INSERT INTO stripe_subscription (account_id, subscription_id, item_id, price_id, status, "
                        + "cancel_at_period_end, last_event_created, past_due_since, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
                        + "ON CONFLICT (account_id) DO UPDATE SET subscription_id = excluded.subscription_id, item_id = excluded.item_id, "
                        + "price_id = excluded.price_id, status = excluded.status, cancel_at_period_end = excluded.cancel_at_period_end, "
                        + "last_event_created = excluded.last_event_created, past_due_since = excluded.past_due_since, updated_at = excluded.updated_at")
                .execute(Tuple.from(Arrays.asList(s.accountId(), s.subscriptionId(), s.itemId(), s.priceId(), s.status(),
                        s.cancelAtPeriodEnd(), s.lastEventCreated(), at(s.pastDueSince()), at(now))))
                .replaceWithVoid();
    }

    /** When the subscription's past-due grace ends (null: no grace running). */
    public Uni<Void> graceEndsAt(SqlConnection tx, String subscriptionId, Instant endsAt) {
        return tx.preparedQuery("UPDATE stripe_subscription SET grace_ends_at = $2 WHERE subscription_id = $1")
                .execute(Tuple.of(subscriptionId, at(endsAt))).replaceWithVoid();
    }

    /** What Tally itself just set on the Stripe subscription (its price, cancel at period end), before Stripe's webhook confirms it. */
    public Uni<Void> mirror(SqlClient client, String subscriptionId, String priceId, boolean cancelAtPeriodEnd, Instant now) {
        return client.preparedQuery("UPDATE stripe_subscription SET price_id = $2, cancel_at_period_end = $3, updated_at = $4 "
                        + "WHERE subscription_id = $1").execute(Tuple.of(subscriptionId, priceId, cancelAtPeriodEnd, at(now)))
                .replaceWithVoid();
    }

    public Uni<Void> saveCheckout(SqlConnection tx, Checkout c, Instant now) {
        return tx.preparedQuery("INSERT INTO checkout_session (id, account_id, kind, target, interval, url, status, created_at) "
                        + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                .execute(Tuple.from(Arrays.asList(c.id(), c.accountId(), c.kind(), c.target(), c.interval(), c.url(), c.status(), at(now))))
                .replaceWithVoid();
    }

    /** Marks the session completed; false when it was already (or is unknown). */
    public Uni<Optional<Checkout>> complete(SqlConnection tx, String sessionId, Instant now) {
        return tx.preparedQuery("UPDATE checkout_session SET status = 'COMPLETED', completed_at = $2 WHERE id = $1 AND status = 'OPEN' "
                        + "RETURNING id, account_id, kind, target, interval, url, status")
                .execute(Tuple.of(sessionId, at(now)))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(checkout(rows.iterator().next())));
    }

    /** A session the customer abandoned (Stripe expired it): it can no longer be completed here. */
    public Uni<Void> expire(SqlConnection tx, String sessionId) {
        return tx.preparedQuery("UPDATE checkout_session SET status = 'EXPIRED' WHERE id = $1 AND status = 'OPEN'")
                .execute(Tuple.of(sessionId)).replaceWithVoid();
    }

    /** Records a webhook event id; false when it was recorded before (a replay). */
    public Uni<Boolean> recordEvent(SqlConnection tx, String id, String type, long created, Instant now) {
        return tx.preparedQuery("INSERT INTO stripe_event (id, type, created, received_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING")
                .execute(Tuple.of(id, type, created, at(now))).map(rows -> rows.rowCount() == 1);
    }

    private static StripeSubscription subscription(Row r) {
        OffsetDateTime pastDue = r.getOffsetDateTime("past_due_since");
        return new StripeSubscription(r.getString("account_id"), r.getString("subscription_id"), r.getString("item_id"),
                r.getString("price_id"), r.getString("status"), r.getBoolean("cancel_at_period_end"), r.getLong("last_event_created"),
                pastDue == null ? null : pastDue.toInstant());
    }

    private static Checkout checkout(Row r) {
        return new Checkout(r.getString("id"), r.getString("account_id"), r.getString("kind"), r.getString("target"),
                r.getString("interval"), r.getString("url"), r.getString("status"));
    }

    private static OffsetDateTime at(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }
}
