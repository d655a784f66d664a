package dev.tally.credits.service;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.contracts.credits.CreditBucketKind;
import dev.tally.contracts.plans.BillingMode;
import dev.tally.contracts.plans.Overage;
import dev.tally.credits.domain.UsageSoFar;
import dev.tally.credits.repository.EntitlementProjection;
import dev.tally.credits.repository.OverageRepository;
import dev.tally.credits.repository.UsageCloseReads;
import dev.tally.credits.repository.UsageQueries;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Usage so far: the current period's credits spent by bucket kind, the overage not closed yet and
 * its price so far, and what the next usage close will take and charge (credits-domain's
 * UsageSoFar, OverageClose's cut-off at the scheduler's lead, {@code tally.scheduler.usage-close-lead}).
 * Read-only: nothing is locked or written. The ledger's figures are native reads of its own tables;
 * the period's close, once made, is read through Panache ({@link UsageCloseReads}).
 */
@ApplicationScoped
public class PeriodUsage {
    private final Pool pool;
    private final UsageQueries queries;
    private final OverageRepository overage;
    private final UsageCloseReads closes;
    private final EntitlementProjection projection;
    private final TallyClock clock;
    private final Duration lead;

    public PeriodUsage(Pool pool, UsageQueries queries, OverageRepository overage, UsageCloseReads closes, EntitlementProjection projection,
                       TallyClock clock, @ConfigProperty(name = "tally.scheduler.usage-close-lead", defaultValue = "P3D") Duration lead) {
        this.pool = pool;
        this.queries = queries;
        this.overage = overage;
        this.closes = closes;
        this.projection = projection;
        this.clock = clock;
        this.lead = lead;
    }

    /** The overage side: {@code credits} recorded beyond the balance and not closed yet, priced at the plan's block price. */
    public record OverageSoFar(Overage.Mode mode, long credits, long amountMinor, String currency, long unitPriceMinor, long unitCredits) {
    }

    /**
     * {@code spent}: credits taken from each bucket kind since {@code periodStart} (debits less reversals), every kind named;
     * {@code nextClose}: null when no usage close runs (a BLOCK plan billed in advance), its {@code at} null when it is the next
     * period's; {@code lastClose}: this period's close once made (what it took and charged), else null.
     */
    public record UsageView(String accountId, Instant periodStart, Instant periodEnd, Map<CreditBucketKind, Long> spent, long spentTotal,
                        OverageSoFar overage, UsageSoFar.NextClose nextClose, UsageSoFar.MadeClose lastClose, Instant asOf) {
    }

    /** The account's usage in its current period; 404 subscription_not_found before any subscription event reached this service. */
    public Uni<UsageView> of(String accountId) {
        Instant now = clock.instant();
        return queries.terms(pool, accountId).flatMap(found -> {
            var terms = found.filter(t -> t.period() != null).orElseThrow(PeriodUsage::noSubscription);
            var period = terms.period();
            return Uni.combine().all().unis(queries.spentSince(pool, accountId, period.periodStart()), overage.open(pool, accountId),
                            projection.find(pool, accountId)).asTuple()
                    .flatMap(t -> closes.closeOf(accountId, period.periodEnd()).map(lastClose -> { // the session's read after the pool's
                        boolean arrears = t.getItem3().map(e -> BillingMode.IN_ARREARS.name().equals(e.billingMode())).orElse(false);
                        boolean closeRuns = arrears || terms.overage().mode() == Overage.Mode.BILL;
                        var u = UsageSoFar.of(period, terms.overage(), closeRuns, t.getItem1(), t.getItem2(), lastClose.orElse(null), lead);
                        var o = terms.overage();
                        return new UsageView(accountId, u.periodStart(), u.periodEnd(), u.spent(), u.spentTotal(),
                                new OverageSoFar(u.overageMode(), u.overageCredits(), u.overageAmountMinor(), u.currency(), o.unitPriceMinor(),
                                        o.unitCredits()), u.nextClose(), u.lastClose(), now);
                    }));
        });
    }

    static ProblemException noSubscription() {
        return ProblemException.naming(404, "subscription_not_found", "No subscription of this account has reached credits-service yet "
                + "(GET /accounts/{id}/subscription on subscriptions-service starts one on the free plan); retry shortly.", "accountId");
    }
}
