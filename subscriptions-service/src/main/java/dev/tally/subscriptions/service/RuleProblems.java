package dev.tally.subscriptions.service;

import dev.tally.backbone.problem.ProblemException;
import dev.tally.subscriptions.domain.RuleCode;
import dev.tally.subscriptions.domain.SubscriptionRuleViolation;
import java.util.function.Supplier;

/** Runs a rule of the domain and turns its refusal into the problem+json answer (its code, the 4xx of its kind). */
final class RuleProblems {
    private RuleProblems() {
    }

    static <T> T decide(Supplier<T> rule) {
        try {
            return rule.get();
        } catch (SubscriptionRuleViolation refused) {
            int status = switch (refused.rule().kind()) {
                case UNPROCESSABLE -> 422;
                case FORBIDDEN -> 403;
                case PAYMENT_REQUIRED -> 402;
                case CONFLICT -> 409;
            };
            throw ProblemException.naming(status, refused.code(), refused.getMessage(), fieldsAtFault(refused.rule()));
        }
    }

    /** The fields of a change request a refusal is about (none for cancel, resume and the like). */
    static String[] fieldsAtFault(RuleCode rule) {
        return switch (rule) {
            case SAME_PLAN -> new String[] {"planCode", "interval"};
            case INTERVAL_NOT_OFFERED -> new String[] {"interval"};
            case TIMING_NOT_ALLOWED -> new String[] {"timing"};
            case CURRENCY_MISMATCH, CONTACT_SALES_REQUIRED -> new String[] {"planCode"};
            default -> new String[0];
        };
    }
}
