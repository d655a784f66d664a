package dev.tally.plans.domain;

import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.Overage;
import dev.tally.contracts.plans.PlanPrice;
import dev.tally.contracts.plans.PlanSnapshot;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Whether a draft may be published next to the plans already for sale. Every problem is reported
 * at once, each naming its field, so an admin fixes a draft in one go.
 */
public final class PlanRules {
    private static final String CODE = "[a-z][a-z0-9-]{1,39}";
    private static final String FEATURE = "[a-z][a-z0-9]*(-[a-z0-9]+)*";

    private PlanRules() {
    }

    /** @param forSale the latest published version of every plan still for sale */
    public static List<FieldError> validate(PlanDraft draft, List<PlanSnapshot> forSale) {
        List<FieldError> errors = new ArrayList<>();
        if (draft.code() == null || !draft.code().matches(CODE)) {
            errors.add(new FieldError("code", "invalid_code", "must be a lowercase slug of 2 to 40 characters"));
        }
        if (draft.name() == null || draft.name().isBlank()) {
            errors.add(new FieldError("name", "required", "must not be blank"));
        }
        if (draft.rank() < 0) {
            errors.add(new FieldError("rank", "negative", "must be zero or more"));
        }
        prices(draft, errors);
        credits(draft, errors);
        overage(draft.overage(), errors);
        for (int i = 0; i < draft.features().size(); i++) {
            String f = draft.features().get(i);
            if (f == null || !f.matches(FEATURE)) {
                errors.add(new FieldError("features[" + i + "]", "invalid_feature", "must be a lowercase-kebab key like pro-models"));
            }
        }
        for (PlanSnapshot other : forSale) {
            if (other.code().equals(draft.code())) {
                continue;
            }
            if (other.rank() == draft.rank()) {
                errors.add(new FieldError("rank", "rank_taken", "rank " + draft.rank() + " is already plan " + other.code() + "'s"));
            }
            if (draft.defaultFree() && other.defaultFree()) {
                errors.add(new FieldError("defaultFree", "second_default_free", other.code() + " is already the default free plan"));
            }
        }
        return errors;
    }

    private static void prices(PlanDraft draft, List<FieldError> errors) {
        Set<BillingInterval> intervals = new HashSet<>();
        Set<String> currencies = new HashSet<>();
        for (int i = 0; i < draft.prices().size(); i++) {
            PlanPrice p = draft.prices().get(i);
            String at = "prices[" + i + "]";
            if (p == null || p.interval() == null) {
                errors.add(new FieldError(at + ".interval", "required", "must be MONTH or YEAR"));
                continue;
            }
            if (!intervals.add(p.interval())) {
                errors.add(new FieldError(at + ".interval", "duplicate_interval", "a plan has one price per interval"));
            }
            if (p.amountMinor() < 0) {
                errors.add(new FieldError(at + ".amountMinor", "negative", "must be zero or more"));
            }
            if (!isCurrency(p.currency())) {
                errors.add(new FieldError(at + ".currency", "unknown_currency", "must be an ISO 4217 code like USD"));
            } else {
                currencies.add(p.currency());
            }
        }
        if (currencies.size() > 1) {
            errors.add(new FieldError("prices", "mixed_currencies", "all prices of a plan must be in one currency"));
        }
        if (draft.defaultFree() && draft.isPaying()) {
            errors.add(new FieldError("prices", "free_plan_priced", "the default free plan cannot have a price"));
        }
        if (!draft.defaultFree() && draft.selfServe() && !draft.isPaying()) {
            errors.add(new FieldError("prices", "price_required", "a self-serve paying plan needs a positive price"));
        }
    }

    private static void credits(PlanDraft draft, List<FieldError> errors) {
        if (draft.creditsPerPeriod() < 0) {
            errors.add(new FieldError("creditsPerPeriod", "negative", "must be zero or more"));
        }
        if (draft.dailyCredits() < 0) {
            errors.add(new FieldError("dailyCredits", "negative", "must be zero or more"));
        }
        if (draft.seatsIncluded() < 0) {
            errors.add(new FieldError("seatsIncluded", "negative", "must be zero or more"));
        }
        boolean onlyMonthly = !draft.prices().isEmpty()
                && draft.prices().stream().allMatch(p -> p != null && p.interval() == BillingInterval.MONTH);
        if (onlyMonthly && draft.creditPeriod() == BillingInterval.YEAR) {
            errors.add(new FieldError("creditPeriod", "longer_than_billing", "a monthly plan cannot grant credits yearly"));
        }
    }

    private static void overage(Overage overage, List<FieldError> errors) {
        if (overage.mode() == Overage.Mode.BILL) {
            if (overage.unitPriceMinor() <= 0) {
                errors.add(new FieldError("overage.unitPriceMinor", "required", "a billed overage needs a positive price"));
            }
            if (overage.unitCredits() <= 0) {
                errors.add(new FieldError("overage.unitCredits", "required", "a billed overage needs a positive block of credits"));
            }
            if (!isCurrency(overage.currency())) {
                errors.add(new FieldError("overage.currency", "unknown_currency", "must be an ISO 4217 code like USD"));
            }
        }
    }

    static boolean isCurrency(String code) {
        if (code == null || !code.matches("[A-Z]{3}")) {
            return false;
        }
        try {
            Currency.getInstance(code);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
