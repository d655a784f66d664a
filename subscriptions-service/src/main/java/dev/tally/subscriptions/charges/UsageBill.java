package dev.tally.subscriptions.charges;

import dev.tally.subscriptions.payment.PaymentAttempt;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A period's overage to bill at once (the plan bills in advance), named by the gateway's
 * idempotency key ({@code usage:<subscription>:<period end>}): PENDING until paid, then BILLED with
 * its charge line, or FAILED when the gateway refused it. See {@code UsageBills}.
 */
@Entity
@Table(name = "usage_bill")
public class UsageBill extends PaymentAttempt {
    @Id
    @Column(name = "payment_key")
    public String paymentKey;
    @Column(name = "account_id", nullable = false)
    public String accountId;
    @Column(name = "subscription_id", nullable = false)
    public UUID subscriptionId;
    @Column(nullable = false)
    public String description;
    @Column(name = "period_start")
    public Instant periodStart;
    @Column(name = "period_end", nullable = false)
    public Instant periodEnd;
    @Column(name = "amount_minor", nullable = false)
    public long amountMinor;
    @Column(nullable = false)
    public String currency;
    @Column(name = "closed_at")
    public Instant closedAt;
}
