package dev.tally.credits.domain;

import dev.tally.contracts.plans.Overage;
import java.time.Instant;
import java.util.List;

/**
 * The usage close of a billing period: the open overage recorded before the close instant (the
 * cut-off, a lead time before the billing date) is closed for the period and priced; usage recorded
 * at or after the cut-off stays open and goes to the next period.
 */
public final class OverageClose {
    private OverageClose() {
    }

    /** Overage usage not closed yet. */
    public record OpenUsage(long id, long credits, Instant recordedAt) {
    }

    /** What the close takes: the usage rows, their credits, and the price. */
    public record Closing(List<Long> usageIds, long credits, long amountMinor) {
    }

    public static boolean beforeCutoff(OpenUsage usage, Instant closeAt) {
        return usage.recordedAt().isBefore(closeAt);
    }

    public static Closing close(List<OpenUsage> open, Instant closeAt, Overage terms) {
        List<OpenUsage> closed = open.stream().filter(u -> beforeCutoff(u, closeAt)).toList();
        long credits = closed.stream().mapToLong(OpenUsage::credits).sum();
        return new Closing(closed.stream().map(OpenUsage::id).toList(), credits, OveragePricing.priceMinor(credits, terms));
    }
}
