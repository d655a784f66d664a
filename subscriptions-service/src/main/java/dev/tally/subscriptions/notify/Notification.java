package dev.tally.subscriptions.notify;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A billing email, queued in the transaction of the change it confirms and sent afterwards by
 * {@link NotificationSender}; {@code email} null when the account had no billing contact.
 */
@Entity
@Table(name = "notification")
public class Notification {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "account_id", nullable = false)
    public String accountId;
    @Column(nullable = false)
    public String kind;
    public String email;
    @Column(nullable = false)
    public String subject;
    @Column(nullable = false)
    public String body;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
    /** When it was sent (or given up on: {@link #lastError} says why); null while queued. */
    @Column(name = "sent_at")
    public Instant sentAt;
    @Column(nullable = false)
    public int attempts;
    @Column(name = "last_error")
    public String lastError;
}
