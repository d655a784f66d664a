package dev.tally.plans.domain;

import dev.tally.contracts.plans.CreditPackSnapshot;
import dev.tally.contracts.plans.PlanSnapshot;
import java.util.ArrayList;
import java.util.List;

/** A credit pack (top-up) an admin submits: credits for a price. */
public record CreditPackDraft(String code, String name, long credits, long amountMinor, String currency, String stripePriceId) {

    public List<FieldError> problems() {
        List<FieldError> errors = new ArrayList<>();
        if (!PlanRules.isCode(code)) {
            errors.add(new FieldError("code", "invalid_code", "must be a lowercase slug of 2 to 40 characters"));
        }
        if (name == null || name.isBlank()) {
            errors.add(new FieldError("name", "required", "must not be blank"));
        } else if (name.length() > PlanRules.MAX_NAME) {
            errors.add(new FieldError("name", "too_long", "must be at most " + PlanRules.MAX_NAME + " characters"));
        }
        if (credits <= 0) {
            errors.add(new FieldError("credits", "required", "a pack grants a positive number of credits"));
        }
        if (amountMinor <= 0) {
            errors.add(new FieldError("amountMinor", "not_positive", "a pack costs a positive amount"));
        }
        PlanRules.atMost("credits", credits, errors);
        PlanRules.atMost("amountMinor", amountMinor, errors);
        if (stripePriceId != null && stripePriceId.length() > PlanRules.MAX_STRIPE_ID) {
            errors.add(new FieldError("stripePriceId", "too_long", "must be at most " + PlanRules.MAX_STRIPE_ID + " characters"));
        }
        if (!PlanRules.isCurrency(currency)) {
            errors.add(new FieldError("currency", "unknown_currency", "must be an ISO 4217 code like USD"));
        }
        return errors;
    }

    public CreditPackSnapshot publish() {
        return new CreditPackSnapshot(code, name, credits, amountMinor, currency, stripePriceId, PlanSnapshot.PlanStatus.PUBLISHED);
    }
}
