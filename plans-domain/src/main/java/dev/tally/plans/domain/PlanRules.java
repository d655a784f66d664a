package dev.tally.plans.domain;

import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.Overage;
import dev.tally.contracts.plans.PlanPrice;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.contracts.plans.Rollover;
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
    /**
     * The most a price (minor units) or a grant of credits may be: 10^9, ten million dollars or a
     * billion credits, far beyond any real plan or pack, and small enough that sums of many of them
     * (a year of renewals, a customer balance, a ledger) stay far from a long's overflow. The credit
     * routes take at most the same per request.
     */
    public static final long MAX_AMOUNT = 1_000_000_000L;
    static final int MAX_NAME = 100;
    static final int MAX_DESCRIPTION = 2000;
    static final int MAX_STRIPE_ID = 255;
    static final int MAX_FEATURES = 50;
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
        } else if (draft.name().length() > MAX_NAME) {
            errors.add(new FieldError("name", "too_long", "must be at most " + MAX_NAME + " characters"));
        }
        if (draft.description() != null && draft.description().length() > MAX_DESCRIPTION) {
            errors.add(new FieldError("description", "too_long", "must be at most " + MAX_DESCRIPTION + " characters"));
        }
        if (draft.rank() < 0) {
            errors.add(new FieldError("rank", "negative", "must be zero or more"));
        }
        if (draft.features().size() > MAX_FEATURES) {
            errors.add(new FieldError("features", "too_many", "a plan has at most " + MAX_FEATURES + " features"));
        }
        prices(draft, errors);
        credits(draft, errors);
        overage(draft.overage(), errors);
        rollover(draft, errors);
        if (draft.defaultFree() && draft.billingMode() == dev.tally.contracts.plans.BillingMode.IN_ARREARS) {
            errors.add(new FieldError("billingMode", "free_plan_in_arrears", "the default free plan bills nothing, so it bills in advance"));
        }
        for (int i = 0; i < draft.features().size(); i++) {
            String f = draft.features().get(i);
            if (f == null || f.length() > 64 || !f.matches(FEATURE)) {
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
            atMost(at + ".amountMinor", p.amountMinor(), errors);
            if (p.stripePriceId() != null && p.stripePriceId().length() > MAX_STRIPE_ID) {
                errors.add(new FieldError(at + ".stripePriceId", "too_long", "must be at most " + MAX_STRIPE_ID + " characters"));
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
        atMost("creditsPerPeriod", draft.creditsPerPeriod(), errors);
        atMost("dailyCredits", draft.dailyCredits(), errors);
        boolean onlyMonthly = !draft.prices().isEmpty()
                && draft.prices().stream().allMatch(p -> p != null && p.interval() == BillingInterval.MONTH);
        if (onlyMonthly && draft.creditPeriod() == BillingInterval.YEAR) {
            errors.add(new FieldError("creditPeriod", "longer_than_billing", "a monthly plan cannot grant credits yearly"));
        }
    }

    private static void overage(Overage overage, List<FieldError> errors) {
        if (overage.mode() == Overage.Mode.BILL) {
            atMost("overage.unitPriceMinor", overage.unitPriceMinor(), errors);
            atMost("overage.unitCredits", overage.unitCredits(), errors);
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

    /** The most days a rolled-over lot may last: ten years. */
    static final int MAX_ROLLOVER_DAYS = 3660;

    /** A rollover caps by credits or by percent of the grant (one of them) and says how many days the rolled lot lasts. */
    private static void rollover(PlanDraft draft, List<FieldError> errors) {
        Rollover r = draft.rollover();
        if (r == null) {
            return;
        }
        if ((r.maxCredits() == null) == (r.maxPercent() == null)) {
            errors.add(new FieldError("rollover", "one_cap", "give maxCredits or maxPercent, one of them"));
        }
        if (r.maxCredits() != null && (r.maxCredits() <= 0 || r.maxCredits() > MAX_AMOUNT)) {
            errors.add(new FieldError("rollover.maxCredits", "out_of_range", "must be 1 to " + MAX_AMOUNT));
        }
        if (r.maxPercent() != null && (r.maxPercent() <= 0 || r.maxPercent() > 100)) {
            errors.add(new FieldError("rollover.maxPercent", "out_of_range", "must be 1 to 100"));
        }
        if (r.expiresAfterDays() == null || r.expiresAfterDays() <= 0 || r.expiresAfterDays() > MAX_ROLLOVER_DAYS) {
            errors.add(new FieldError("rollover.expiresAfterDays", "out_of_range", "the rolled lot's life: 1 to " + MAX_ROLLOVER_DAYS + " days"));
        }
        if (draft.creditsPerPeriod() <= 0) {
            errors.add(new FieldError("rollover", "nothing_to_roll", "a plan granting no credits per period has nothing to roll over"));
        }
    }

    static void atMost(String field, long value, List<FieldError> errors) {
        if (value > MAX_AMOUNT) {
            errors.add(new FieldError(field, "too_large", "must be at most " + MAX_AMOUNT));
        }
    }

    static boolean isCode(String code) {
        return code != null && code.matches(CODE);
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
