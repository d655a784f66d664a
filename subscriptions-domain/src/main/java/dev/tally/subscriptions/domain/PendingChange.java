package dev.tally.subscriptions.domain;

import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.subscriptions.ChangeTiming;
import dev.tally.contracts.subscriptions.PendingChangeView;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** The one END_OF_PERIOD change waiting for the period end; it can be replaced or cancelled until then. */
public record PendingChange(UUID id, String planCode, int planVersion, BillingInterval interval, Instant effectiveAt) {

    public PendingChange {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(planCode, "planCode");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(effectiveAt, "effectiveAt");
    }

    /** The shape subscription events and responses carry. */
    public PendingChangeView toView() {
        return new PendingChangeView(id, planCode, planVersion, interval, ChangeTiming.END_OF_PERIOD, effectiveAt);
    }

    public static PendingChange fromView(PendingChangeView view) {
        return new PendingChange(view.changeId(), view.planCode(), view.planVersion(), view.interval(), view.effectiveAt());
    }
}
