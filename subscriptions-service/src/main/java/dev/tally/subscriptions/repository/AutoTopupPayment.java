package dev.tally.subscriptions.repository;

import dev.tally.subscriptions.payment.PaymentAttempt;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * An auto top-up credits-service asked for, paid off-session: PENDING (tried every
 * {@code nextAttemptAt}) until SETTLED (its purchase recorded, id = request id) or FAILED.
 */
@Entity
@Table(name = "auto_topup_payment")
public class AutoTopupPayment extends PaymentAttempt {
    @Id
    @Column(name = "request_id")
    public UUID requestId;
    @Column(name = "account_id", nullable = false)
    public String accountId;
    @Column(name = "pack_code", nullable = false)
    public String packCode;
    @Column(name = "requested_at", nullable = false)
    public Instant requestedAt;
}
