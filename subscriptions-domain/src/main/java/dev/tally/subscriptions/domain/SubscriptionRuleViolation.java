package dev.tally.subscriptions.domain;

import java.util.Objects;

/** A request the subscription rules refuse; carries the stable code and a message naming what is wrong. */
public final class SubscriptionRuleViolation extends RuntimeException {
    private final RuleCode rule;

    public SubscriptionRuleViolation(RuleCode rule, String message) {
        super(message);
        this.rule = Objects.requireNonNull(rule, "rule");
    }

    public RuleCode rule() {
        return rule;
    }

    /** The snake_case code for the problem response, e.g. {@code same_plan}. */
    public String code() {
        return rule.code();
    }
}
