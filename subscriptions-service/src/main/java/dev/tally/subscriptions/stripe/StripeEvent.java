package dev.tally.subscriptions.stripe;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A webhook event applied once: its id recorded in the transaction that applied it (a replay finds it). */
@Entity
@Table(name = "stripe_event")
public class StripeEvent {
    @Id
    public String id;
    @Column(nullable = false)
    public String type;
    /** Stripe's {@code created}, in epoch seconds. */
    @Column(nullable = false)
    public long created;
    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;
}
