package dev.tally.scheduler.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A durable timer as the admin reads see it. Written only by the native firing paths (SKIP LOCKED
 * claims, set-based replacement: TimerRepository), so this mapping is read-only.
 */
@Entity
@Table(name = "timer")
@org.hibernate.annotations.Immutable
public class TimerEntity {
    @Id
    public Long id;

    @Column(name = "subscription_id", nullable = false)
    public UUID subscriptionId;

    @Column(name = "account_id", nullable = false)
    public String accountId;

    @Column(nullable = false)
    public String kind;

    @Column(name = "due_at", nullable = false)
    public Instant dueAt;

    @Column(name = "period_start")
    public Instant periodStart;

    @Column(name = "period_end")
    public Instant periodEnd;

    @Column(name = "fired_at")
    public Instant firedAt;

    @Column(name = "claimed_by")
    public String claimedBy;

    @Column(name = "claim_expires")
    public Instant claimExpires;
}
