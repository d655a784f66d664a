package dev.tally.subscriptions.stripe;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An account's Stripe customer, linked once (the first link wins). */
@Entity
@Table(name = "stripe_customer")
public class StripeCustomerLink {
    @Id
    @Column(name = "account_id")
    public String accountId;
    @Column(name = "customer_id", nullable = false)
    public String customerId;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
