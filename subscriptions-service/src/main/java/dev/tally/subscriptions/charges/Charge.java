package dev.tally.subscriptions.charges;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A stored charge line: what a change, renewal, credit for unused time, overage, top-up or invoice
 * in arrears billed, with the payment that settled it. Lines are never changed once written
 * (corrections are new lines), except a line of an invoice in arrears, whose status and payment
 * reference follow its invoice. Period ends write theirs in one statement ({@code SubscriptionRepository#chargeAll}).
 */
@Entity
@Table(name = "charge")
public class Charge {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "account_id", nullable = false)
    public String accountId;
    /** Null on a top-up (a pack needs no subscription). */
    @Column(name = "subscription_id")
    public UUID subscriptionId;
    public String kind;
    @Column(nullable = false)
    public String description;
    @Column(name = "period_start")
    public Instant periodStart;
    @Column(name = "period_end")
    public Instant periodEnd;
    @Column(name = "amount_minor", nullable = false)
    public long amountMinor;
    @Column(nullable = false)
    public String currency;
    @Column(name = "payment_ref")
    public String paymentRef;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
    @Column(name = "acted_by")
    public String actedBy;
    public String reason;
    @Column(name = "pack_code")
    public String packCode;
    @Column(name = "pack_credits")
    public Long packCredits;
    /** The invoice in arrears the line belongs to, with its {@link #status}; both null for a line billed when it was made. */
    @Column(name = "invoice_id")
    public UUID invoiceId;
    public String status;
}
