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
 * A change preview kept until it expires: the quote (a JSON document), the subscription revision it
 * was made on, and when a change confirmed it (a preview is confirmed once).
 */
@Entity
@Table(name = "change_preview")
public class ChangePreview {
    @Id
    public UUID id;
    @Column(name = "account_id", nullable = false)
    public String accountId;
    @Column(name = "based_on_revision", nullable = false)
    public long basedOnRevision;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public String preview;
    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;
    @Column(name = "confirmed_at")
    public Instant confirmedAt;
}
