package dev.tally.plans.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A plan of the catalog: its status, its latest published version (0 for none) and its pending draft (JSON). */
@Entity
@Table(name = "plan")
public class PlanEntity {
    @Id
    public String code;

    @Column(nullable = false)
    public String status;

    @Column(name = "latest_version", nullable = false)
    public int latestVersion;

    /** The draft as JSON ({@code PlanDraft}), null when there is none. */
    @JdbcTypeCode(SqlTypes.JSON)
    public String draft;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
