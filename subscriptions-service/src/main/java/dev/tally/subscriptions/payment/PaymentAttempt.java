package dev.tally.subscriptions.payment;

import jakarta.persistence.Column;
import jakarta.persistence.MappedSuperclass;
import java.time.Instant;

/**
 * A payment made with no transaction open and retried until it is answered: PENDING (tried again
 * at {@code nextAttemptAt}, the gateway's idempotency key unchanged) until finished once, with the
 * gateway's reference or its refusal. The usage bills and the auto top-up payments are both this.
 */
@MappedSuperclass
public abstract class PaymentAttempt {
    @Column(nullable = false)
    public String status;
    @Column(nullable = false)
    public int attempts;
    @Column(name = "next_attempt_at", nullable = false)
    public Instant nextAttemptAt;
    @Column(name = "payment_ref")
    public String paymentRef;
    @Column(name = "failure_code")
    public String failureCode;
    @Column(name = "finished_at")
    public Instant finishedAt;
}
