package dev.tally.subscriptions.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A settled credit pack purchase (its id is the auto top-up request's for an auto top-up, the
 * Checkout session's name-based UUID for one bought through Stripe), with what went back of its money.
 */
@Entity
@Table(name = "topup_purchase")
public class TopupPurchase {
    @Id
    public UUID id;
    @Column(name = "account_id", nullable = false)
    public String accountId;
    @Column(name = "pack_code", nullable = false)
    public String packCode;
    @Column(nullable = false)
    public long credits;
    @Column(name = "amount_minor", nullable = false)
    public long amountMinor;
    @Column(nullable = false)
    public String currency;
    /** The gateway's reference of the payment (Stripe: the payment intent, or the Checkout session). */
    @Column(name = "payment_ref", nullable = false)
    public String paymentRef;
    @Column(name = "settled_at", nullable = false)
    public Instant settledAt;
    /** What refunds gave back so far (cumulative, only ever raised). */
    @Column(name = "refunded_minor", nullable = false)
    public long refundedMinor;
    /** What disputes took back so far (cumulative, only ever raised). */
    @Column(name = "disputed_minor", nullable = false)
    public long disputedMinor;
}
