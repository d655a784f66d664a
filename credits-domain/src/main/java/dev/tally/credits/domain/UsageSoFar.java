package dev.tally.credits.domain;

import dev.tally.contracts.credits.CreditBucketKind;
import dev.tally.contracts.plans.Overage;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The current period's usage of an account (docs/rules.md, Usage so far): credits spent from each
 * bucket kind since the period started (debits less what reversals gave back), the overage not
 * closed yet and its price so far, and what the next usage close will take and charge. The close
 * is {@link OverageClose}'s, at a lead time before the billing date (never before the period
 * starts, as the scheduler sets it); once this period's close is made, what stays open goes to the
 * next period's close, whose instant is known when that period starts.
 */
public final class UsageSoFar {
    private UsageSoFar() {
    }

    /** The close of this period, once made: what it took and charged. */
    public record MadeClose(Instant periodEnd, long credits, long amountMinor, String currency, Instant closedAt) {
    }

    /**
     * The next usage close: {@code at} its cut-off (null when it is the next period's, not known yet),
     * the credits of overage it takes and its price if no more overage is recorded before it.
     */
    public record NextClose(Instant at, Instant periodEnd, long credits, long amountMinor, String currency) {
    }

    /**
     * @param spent          credits spent this period by bucket kind, in spending order (every kind present); {@code spentTotal} their sum
     * @param overageCredits overage recorded and not closed yet
     * @param nextClose      null when nothing is closed for this account (a BLOCK plan billed in advance)
     * @param lastClose      this period's close, once made (else null)
     */
    public record Usage(Instant periodStart, Instant periodEnd, Map<CreditBucketKind, Long> spent, long spentTotal,
                        Overage.Mode overageMode, long overageCredits, long overageAmountMinor, String currency,
                        NextClose nextClose, MadeClose lastClose) {
    }

    /** The usage close's cut-off for a period, as the scheduler's timer sets it. */
    public static Instant closeAt(SubscriptionPeriod period, Duration lead) {
        Instant at = period.periodEnd().minus(lead);
        return at.isBefore(period.periodStart()) ? period.periodStart() : at;
    }

    /**
     * @param spentByKind   net credits spent this period per bucket kind (absent kinds are 0)
     * @param open          overage not closed yet
     * @param closesUsage   whether a usage close runs for this period (overage BILL, or a plan billed in arrears)
     * @param thisClose     this period's close if it was made, else null
     */
    public static Usage of(SubscriptionPeriod period, Overage terms, boolean closesUsage, Map<CreditBucketKind, Long> spentByKind,
                           List<OverageClose.OpenUsage> open, MadeClose thisClose, Duration lead) {
        Map<CreditBucketKind, Long> spent = new LinkedHashMap<>();
        for (CreditBucketKind kind : SpendingOrder.KINDS) {
            spent.put(kind, Math.max(0, spentByKind.getOrDefault(kind, 0L)));
        }
        long overage = open.stream().mapToLong(OverageClose.OpenUsage::credits).sum();
        long total = spent.values().stream().mapToLong(Long::longValue).sum();
        Overage.Mode mode = terms.mode();
        NextClose next = null;
        if (closesUsage && thisClose == null) {
            Instant at = closeAt(period, lead);
            OverageClose.Closing closing = OverageClose.close(open, at, terms);
            next = new NextClose(at, period.periodEnd(), closing.credits(), closing.amountMinor(), terms.currency());
        } else if (closesUsage) {
            next = new NextClose(null, null, overage, OveragePricing.priceMinor(overage, terms), terms.currency());
        }
        return new Usage(period.periodStart(), period.periodEnd(), spent, total, mode, overage, OveragePricing.priceMinor(overage, terms),
                terms.currency(), next, thisClose);
    }
}
