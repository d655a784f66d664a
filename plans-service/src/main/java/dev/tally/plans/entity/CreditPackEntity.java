package dev.tally.plans.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A credit pack (top-up), for sale or retired; its terms as JSON ({@code CreditPackSnapshot}). */
@Entity
@Table(name = "credit_pack")
public class CreditPackEntity {
    @Id
    public String code;

    @Column(nullable = false)
    public String status;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public String snapshot;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
