package dev.tally.subscriptions.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * The {@code subscription} row as Hibernate maps it: the stored form of the domain's
 * {@link dev.tally.subscriptions.domain.Subscription} (one per account), converted both ways by
 * {@link SubscriptionRecordRepository}. The pending change and the accrual are JSON documents.
 * Period ends renew and save many of these rows in one statement ({@link SubscriptionRepository}).
 */
@Entity
@Table(name = "subscription")
public class SubscriptionRecord {
    @Id
    public UUID id;
    @Column(name = "account_id", nullable = false, unique = true)
    public String accountId;
    @Column(name = "plan_code", nullable = false)
    public String planCode;
    @Column(name = "plan_version", nullable = false)
    public int planVersion;
    @Column(name = "billing_interval", nullable = false)
    public String billingInterval;
    @Column(nullable = false)
    public String status;
    @Column(name = "period_anchor", nullable = false)
    public Instant periodAnchor;
    @Column(name = "period_start", nullable = false)
    public Instant periodStart;
    @Column(name = "period_end", nullable = false)
    public Instant periodEnd;
    @Column(name = "cancel_at_period_end", nullable = false)
    public boolean cancelAtPeriodEnd;
    /** Every saved change moves it by one; a save names the revision it replaces. */
    @Column(nullable = false)
    public long revision;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "pending_change")
    public String pendingChange;
    @Column(name = "customer_balance_minor", nullable = false)
    public long customerBalanceMinor;
    @Column(name = "customer_balance_currency", nullable = false)
    public String customerBalanceCurrency;
    @JdbcTypeCode(SqlTypes.JSON)
    public String accrual;
}
