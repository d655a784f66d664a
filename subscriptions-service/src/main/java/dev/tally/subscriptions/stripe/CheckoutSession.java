package dev.tally.subscriptions.stripe;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A Stripe Checkout session Tally opened: OPEN until Stripe reports it COMPLETED (once) or EXPIRED. */
@Entity
@Table(name = "checkout_session")
public class CheckoutSession {
    @Id
    public String id;
    @Column(name = "account_id", nullable = false)
    public String accountId;
    /** TOPUP (a credit pack) or PLAN. */
    @Column(nullable = false)
    public String kind;
    /** The pack or plan code. */
    @Column(nullable = false)
    public String target;
    @Column(name = "interval")
    public String interval;
    public String url;
    @Column(nullable = false)
    public String status;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
    @Column(name = "completed_at")
    public Instant completedAt;
}
