package dev.tally.plans.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The change policy's version, one row: every edit of the overrides moves it up by one (0: not announced yet). */
@Entity
@Table(name = "change_policy_version")
public class PolicyVersionEntity {
    /** The row's id: always true, so there is one row. */
    @Id
    public Boolean id;

    @Column(nullable = false)
    public long version;
}
