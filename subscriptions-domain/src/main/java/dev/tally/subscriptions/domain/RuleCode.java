package dev.tally.subscriptions.domain;

/**
 * The stable codes of refused requests (docs/rules.md 4: problem+json {@code code}). Clients branch on
 * them, so a code is never renamed; {@link #kind()} tells the service which 4xx family it belongs to.
 */
public enum RuleCode {
    SAME_PLAN(Kind.UNPROCESSABLE),
    INTERVAL_NOT_OFFERED(Kind.UNPROCESSABLE),
    TIMING_NOT_ALLOWED(Kind.UNPROCESSABLE),
    CURRENCY_MISMATCH(Kind.UNPROCESSABLE),
    CONTACT_SALES_REQUIRED(Kind.FORBIDDEN),
    ADMIN_ONLY(Kind.FORBIDDEN),
    PAYMENT_METHOD_REQUIRED(Kind.PAYMENT_REQUIRED),
    PENDING_CHANGE_BLOCKS_CANCEL(Kind.CONFLICT),
    ALREADY_CANCELLED(Kind.CONFLICT),
    NOTHING_TO_RESUME(Kind.CONFLICT),
    NO_PENDING_CHANGE(Kind.CONFLICT),
    FREE_PLAN_NOT_CANCELLABLE(Kind.CONFLICT),
    PERIOD_ALREADY_ENDED(Kind.CONFLICT),
    SUBSCRIPTION_NOT_ACTIVE(Kind.CONFLICT);

    /** The family of refusal; the service maps it to 422, 403, 402 or 409. */
    public enum Kind { UNPROCESSABLE, FORBIDDEN, PAYMENT_REQUIRED, CONFLICT }

    private final Kind kind;

    RuleCode(Kind kind) {
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** The snake_case code clients see, e.g. {@code pending_change_blocks_cancel}. */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
