package dev.tally.plans.domain;

import dev.tally.contracts.subscriptions.ChangeDirection;
import dev.tally.contracts.subscriptions.ChangeTiming;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An admin's exception to the default policy, for one pair of plan codes (from, to) or for one
 * direction. A pair override beats a direction override, which beats the defaults.
 */
public record PolicyOverride(String fromCode, String toCode, ChangeDirection direction,
                             Set<ChangeTiming> allowedTimings, ChangeTiming defaultTiming) {

    public boolean isForPair() {
        return fromCode != null && toCode != null;
    }

    /** What is wrong with this override, if anything. */
    public List<FieldError> problems() {
        List<FieldError> errors = new ArrayList<>();
        boolean pair = fromCode != null || toCode != null;
        if (pair == (direction != null)) {
            errors.add(new FieldError("direction", "pair_or_direction", "name either a pair of plans (from and to) or a direction"));
        }
        if (pair && (fromCode == null || toCode == null)) {
            errors.add(new FieldError(fromCode == null ? "fromCode" : "toCode", "required", "a pair override names both plans"));
        }
        if (fromCode != null && !PlanRules.isCode(fromCode)) {
            errors.add(new FieldError("fromCode", "invalid_code", "must be a plan code"));
        }
        if (toCode != null && !PlanRules.isCode(toCode)) {
            errors.add(new FieldError("toCode", "invalid_code", "must be a plan code"));
        }
        if (pair && fromCode != null && fromCode.equals(toCode)) {
            errors.add(new FieldError("toCode", "same_plan", "a pair override is between two different plans"));
        }
        if (allowedTimings == null || allowedTimings.isEmpty()) {
            errors.add(new FieldError("allowedTimings", "required", "allow at least one timing"));
        } else if (defaultTiming == null || !allowedTimings.contains(defaultTiming)) {
            errors.add(new FieldError("defaultTiming", "not_allowed", "the default timing must be one of the allowed ones"));
        }
        return errors;
    }
}
