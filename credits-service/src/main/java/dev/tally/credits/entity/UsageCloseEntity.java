package dev.tally.credits.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A billing period's usage close as the reads see it: what overage it took and what it charged.
 * The close itself is written natively (OverageRepository), inside the batch of billing commands'
 * transaction under the account's lock with the overage it closes (docs/adr/0001-persistence.md),
 * so this mapping is read-only.
 */
@Entity
@Table(name = "usage_close")
@IdClass(UsageCloseEntity.Key.class)
@org.hibernate.annotations.Immutable
public class UsageCloseEntity {
    @Id
    @Column(name = "subscription_id")
    public UUID subscriptionId;

    @Id
    @Column(name = "period_end")
    public Instant periodEnd;

    @Column(name = "account_id", nullable = false)
    public String accountId;

    @Column(name = "overage_credits", nullable = false)
    public long overageCredits;

    @Column(name = "amount_minor", nullable = false)
    public long amountMinor;

    public String currency;

    @Column(name = "closed_at", nullable = false)
    public Instant closedAt;

    /** A close's identity: once per subscription and period. */
    public static class Key implements Serializable {
        public UUID subscriptionId;
        public Instant periodEnd;

        public Key() {
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(k.subscriptionId, subscriptionId) && Objects.equals(k.periodEnd, periodEnd);
        }

        @Override
        public int hashCode() {
            return Objects.hash(subscriptionId, periodEnd);
        }
    }
}
