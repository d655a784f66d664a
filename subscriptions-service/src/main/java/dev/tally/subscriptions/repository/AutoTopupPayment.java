package dev.tally.subscriptions.repository;

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
public class AutoTopupPayment {
    @Id
    @Column(name = "request_id")
    public UUID requestId;
    @Column(name = "account_id", nullable = false)
    public String accountId;
    @Column(name = "pack_code", nullable = false)
    public String packCode;
    @Column(nullable = false)
    public String status;
    @Column(nullable = false)
    public int attempts;
    @Column(name = "next_attempt_at", nullable = false)
    public Instant nextAttemptAt;
    @Column(name = "requested_at", nullable = false)
    public Instant requestedAt;
    @Column(name = "payment_ref")
    public String paymentRef;
    @Column(name = "failure_code")
    public String failureCode;
    @Column(name = "finished_at")
    public Instant finishedAt;
}
