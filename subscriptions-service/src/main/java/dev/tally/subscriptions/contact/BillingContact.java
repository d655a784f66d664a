package dev.tally.subscriptions.contact;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The address an account's billing emails go to (one per account; setting it again replaces it). */
@Entity
@Table(name = "account_contact")
public class BillingContact {
    @Id
    @Column(name = "account_id")
    public String accountId;
    @Column(nullable = false)
    public String email;
    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
