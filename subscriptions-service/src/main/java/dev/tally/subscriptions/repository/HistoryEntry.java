package dev.tally.subscriptions.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One plan change made or scheduled, as {@link SubscriptionHistory} keeps it (never updated). */
@Entity
@Table(name = "subscription_history")
public class HistoryEntry {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "account_id", nullable = false)
    public String accountId;
    @Column(name = "subscription_id", nullable = false)
    public UUID subscriptionId;
    @Column(nullable = false)
    public long revision;
    /** {@code plan-changed} or {@code change-scheduled}. */
    @Column(nullable = false)
    public String kind;
    @Column(name = "from_plan", nullable = false)
    public String fromPlan;
    @Column(name = "to_plan", nullable = false)
    public String toPlan;
    @Column(name = "to_interval", nullable = false)
    public String toInterval;
    @Column(nullable = false)
    public String timing;
    /** The admin's subject when support made the change for the account, with its {@link #reason}; else null. */
    @Column(name = "acted_by")
    public String actedBy;
    public String reason;
    @Column(name = "recorded_at", nullable = false)
    public Instant recordedAt;
}
