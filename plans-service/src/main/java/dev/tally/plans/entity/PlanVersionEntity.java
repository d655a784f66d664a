package dev.tally.plans.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A published version of a plan: written once, never changed (its subscribers bought these terms). */
@Entity
@Immutable
@Table(name = "plan_version")
@IdClass(PlanVersionEntity.Key.class)
public class PlanVersionEntity {
    @Id
    public String code;

    @Id
    public int version;

    @Column(nullable = false)
    public int rank;

    @Column(name = "default_free", nullable = false)
    public boolean defaultFree;

    /** The version's terms as JSON ({@code PlanSnapshot}). */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public String snapshot;

    @Column(name = "published_at", nullable = false)
    public Instant publishedAt;

    @Column(name = "billing_mode", nullable = false)
    public String billingMode;

    /** A version's identity: plan code and version number. */
    public static class Key implements Serializable {
        public String code;
        public int version;

        public Key() {
        }

        public Key(String code, int version) {
            this.code = code;
            this.version = version;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.version == version && java.util.Objects.equals(k.code, code);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(code, version);
        }
    }
}
