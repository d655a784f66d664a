package dev.tally.credits.service;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.inbox.InboundEvent;
import dev.tally.contracts.Events;
import dev.tally.contracts.credits.CreditBucketKind;
import dev.tally.contracts.subscriptions.ChangeTiming;
import dev.tally.contracts.subscriptions.PlanChange;
import dev.tally.contracts.subscriptions.SubscriptionState;
import dev.tally.contracts.subscriptions.TopupPurchased;
import dev.tally.credits.domain.PlanChangeCredits;
import dev.tally.credits.domain.Spend;
import dev.tally.contracts.billing.CreditPeriods;
import dev.tally.credits.repository.LedgerRepository;
import dev.tally.credits.repository.SubscriptionTermsRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns subscription events into grants, carries and forfeits (DESIGN.md, Credits), on the
 * Inbox's transaction. Events older than the last applied revision of the subscription change
 * nothing, so redelivery out of order cannot undo a later state.
 */
@ApplicationScoped
public class SubscriptionCredits {
    private final LedgerRepository ledger;
    private final DailyCredits daily;
    private final CreditEvents announce;
    private final TallyClock clock;
    private final SubscriptionTermsRepository periods;

    public SubscriptionCredits(LedgerRepository ledger, DailyCredits daily, CreditEvents announce, TallyClock clock,
                               SubscriptionTermsRepository periods) {
        this.ledger = ledger;
        this.periods = periods;
        this.daily = daily;
        this.announce = announce;
        this.clock = clock;
    }

    public Uni<Void> apply(SqlConnection tx, InboundEvent event) {
        if (event.is(Events.TOPUP_PURCHASED)) {
            return topup(tx, event.payload(Events.TOPUP_PURCHASED));
        }
        if (!(event.payload() instanceof dev.tally.contracts.subscriptions.SubscriptionEvent payload)) {
            return Uni.createFrom().voidItem();
        }
        SubscriptionState s = payload.subscription();
        Instant now = clock.instant();
        return ledger.lockAccount(tx, s.accountId(), now).flatMap(terms -> {
            if (s.revision() <= terms.subscriptionRevision()) {
                return Uni.createFrom().voidItem(); // stale: a later state was applied already
            }
            Uni<Void> credits = credits(tx, event, s, payload.change(), now);
            return credits.flatMap(x -> ledger.saveTerms(tx, s.accountId(), s.credits().overage(), s.credits().dailyCredits(), s.revision(), now))
                    .flatMap(x -> periods.save(tx, s))
                    .flatMap(x -> ledger.lockAccount(tx, s.accountId(), now))
                    .flatMap(updated -> daily.resetIfNewDay(tx, updated));
        });
    }

    private Uni<Void> credits(SqlConnection tx, InboundEvent event, SubscriptionState s, PlanChange change, Instant now) {
        long newGrant = s.credits().creditsPerPeriod();
        String reference = event.id();
        if (event.is(Events.SUBSCRIPTION_STARTED)) {
            return grantPeriod(tx, s, newGrant, "subscription started", reference, now, false);
        }
        boolean periodEnd = event.is(Events.SUBSCRIPTION_RENEWED) || event.is(Events.SUBSCRIPTION_REVERTED_TO_FREE)
                || (event.is(Events.SUBSCRIPTION_PLAN_CHANGED) && change != null && change.timing() == ChangeTiming.END_OF_PERIOD);
        if (periodEnd) {
            return forfeitSubscription(tx, s.accountId(), Long.MAX_VALUE, "period ended", reference, now)
                    .flatMap(x -> grantPeriod(tx, s, newGrant, "credits for the period from " + s.periodStart(), reference, now, false));
        }
        if (event.is(Events.SUBSCRIPTION_PLAN_CHANGED) && change != null) {
            return ledger.liveBuckets(tx, s.accountId()).flatMap(buckets -> {
                long remaining = buckets.stream().filter(b -> b.kind() == CreditBucketKind.SUBSCRIPTION).mapToLong(b -> b.remaining()).sum();
                var allocation = PlanChangeCredits.onChange(change.timing(), remaining, change.fromCredits().creditsPerPeriod(),
                        newGrant, change.secondsLeft(), change.secondsInPeriod());
                return forfeitSubscription(tx, s.accountId(), allocation.forfeited(), "plan changed to " + s.planCode(), reference, now)
                        .flatMap(x -> grantPeriod(tx, s, allocation.granted(), "plan changed to " + s.planCode(), reference, now,
                                change.timing() == ChangeTiming.IMMEDIATE_PRORATED));
            });
        }
        return Uni.createFrom().voidItem();
    }

    /**
     * Grants SUBSCRIPTION credits that end with the credit period they are for (a yearly plan may grant
     * monthly: the credit period containing the period start, or, for a prorated change mid-period,
     * the one containing now; credit-period.ended commands grant the months after).
     */
    private Uni<Void> grantPeriod(SqlConnection tx, SubscriptionState s, long credits, String reason, String reference, Instant now,
                                  boolean midPeriod) {
        Instant at = midPeriod && now.isAfter(s.periodStart()) && now.isBefore(s.periodEnd()) ? now : s.periodStart();
        Instant expires = s.credits().creditPeriod() == null ? s.periodEnd()
                : CreditPeriods.endOfCreditPeriod(s.periodStart(), s.periodEnd(), s.credits().creditPeriod(), at);
        return ledger.grant(tx, s.accountId(), CreditBucketKind.SUBSCRIPTION, credits, expires, reason, reference, now)
                .call(x -> credits > 0 ? announce.granted(tx, s.accountId(), CreditBucketKind.SUBSCRIPTION, credits, reason, expires, now)
                        : Uni.createFrom().voidItem());
    }

    /** Forfeits up to {@code atMost} subscription credits, soonest-expiring first. */
    private Uni<Void> forfeitSubscription(SqlConnection tx, String accountId, long atMost, String reason, String reference, Instant now) {
        return ledger.liveBuckets(tx, accountId).flatMap(buckets -> {
            List<Spend.Take> takes = new ArrayList<>();
            long left = atMost;
            for (var b : buckets.stream().filter(b -> b.kind() == CreditBucketKind.SUBSCRIPTION)
                    .sorted(dev.tally.credits.domain.SpendingOrder.ORDER).toList()) {
                if (left <= 0) {
                    break;
                }
                long take = Math.min(left, b.remaining());
                takes.add(new Spend.Take(b.bucketId(), b.kind(), take));
                left -= take;
            }
            long forfeited = takes.stream().mapToLong(Spend.Take::amount).sum();
            return ledger.take(tx, accountId, takes, "FORFEIT", reason, reference, now)
                    .call(x -> forfeited > 0 ? announce.forfeited(tx, accountId, CreditBucketKind.SUBSCRIPTION, forfeited, reason, now)
                            : Uni.createFrom().voidItem());
        });
    }

    private Uni<Void> topup(SqlConnection tx, TopupPurchased purchase) {
        Instant now = clock.instant();
        String reference = "topup:" + purchase.purchaseId();
        return ledger.lockAccount(tx, purchase.accountId(), now)
                .flatMap(terms -> tx.preparedQuery("SELECT 1 FROM ledger_entry WHERE reference = $1 AND kind = 'GRANT' AND bucket = 'TOPUP'")
                        .execute(io.vertx.mutiny.sqlclient.Tuple.of(reference)))
                .flatMap(found -> found.size() > 0
                        ? Uni.createFrom().voidItem() // this purchase was granted already (under another event id)
                        : ledger.grant(tx, purchase.accountId(), CreditBucketKind.TOPUP, purchase.credits(), null,
                                "top-up " + purchase.packCode(), reference, now)
                        .call(x -> announce.granted(tx, purchase.accountId(), CreditBucketKind.TOPUP, purchase.credits(),
                                "top-up " + purchase.packCode(), null, now)));
    }
}
