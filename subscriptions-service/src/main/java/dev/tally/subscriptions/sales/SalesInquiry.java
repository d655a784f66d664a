package dev.tally.subscriptions.sales;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** An account asking for a plan sold through sales, as received (never changed afterwards). */
@Entity
@Table(name = "sales_inquiry")
public class SalesInquiry {
    @Id
    public UUID id;
    @Column(name = "account_id", nullable = false)
    public String accountId;
    @Column(name = "plan_code", nullable = false)
    public String planCode;
    @Column(name = "contact_email", nullable = false)
    public String contactEmail;
    public String message;
    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;
}
