package dev.tally.subscriptions.stripe;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * The Stripe subscription billing an account's plan, as the last applied webhook event (or Tally's
 * own change, mirrored) left it; {@code graceEndsAt}: when a past-due grace ends (null: none running).
 */
@Entity
@Table(name = "stripe_subscription")
public class StripeSubscriptionLink {
    @Id
    @Column(name = "account_id")
    public String accountId;
    @Column(name = "subscription_id", nullable = false)
    public String subscriptionId;
    @Column(name = "item_id")
    public String itemId;
    @Column(name = "price_id")
    public String priceId;
    @Column(nullable = false)
    public String status;
    @Column(name = "cancel_at_period_end", nullable = false)
    public boolean cancelAtPeriodEnd;
    @Column(name = "last_event_created", nullable = false)
    public long lastEventCreated;
    @Column(name = "past_due_since")
    public Instant pastDueSince;
    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
    @Column(name = "grace_ends_at")
    public Instant graceEndsAt;

    StripeLinks.StripeSubscription view() {
        return new StripeLinks.StripeSubscription(accountId, subscriptionId, itemId, priceId, status, cancelAtPeriodEnd, lastEventCreated,
                pastDueSince);
    }
}
