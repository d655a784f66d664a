package dev.tally.credits.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A credit hold as the reads see it. Reserving, capturing and releasing one write it natively
 * (HoldRepository), in the ledger's transaction under the account's lock (docs/adr/0001-persistence.md),
 * so this mapping is read-only.
 */
@Entity
@Table(name = "credit_hold")
@org.hibernate.annotations.Immutable
public class CreditHoldEntity {
    @Id
    public UUID id;

    @Column(name = "account_id", nullable = false)
    public String accountId;

    @Column(nullable = false)
    public long credits;

    @Column(nullable = false)
    public String status;

    @Column(nullable = false)
    public long captured;

    @Column(nullable = false)
    public String reason;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
