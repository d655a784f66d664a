package dev.tally.plans.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An admin override of the change policy: for one pair of plans (from, to) or for one direction. */
@Entity
@Table(name = "change_policy_override")
public class PolicyOverrideEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "from_code")
    public String fromCode;

    @Column(name = "to_code")
    public String toCode;

    public String direction;

    /** The allowed timings' names (a text[] column). */
    @Column(nullable = false)
    public String[] allowed;

    @Column(name = "default_timing", nullable = false)
    public String defaultTiming;
}
