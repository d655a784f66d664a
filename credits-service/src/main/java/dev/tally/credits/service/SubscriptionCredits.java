package dev.tally.credits.service;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.inbox.InboundEvent;
import dev.tally.backbone.outbox.Outbox;
import dev.tally.contracts.Events;
import dev.tally.contracts.billing.CreditPeriods;
import dev.tally.contracts.credits.CreditBucketKind;
import dev.tally.contracts.subscriptions.ChangeTiming;
import dev.tally.contracts.subscriptions.PlanChange;
import dev.tally.contracts.subscriptions.SubscriptionEvent;
import dev.tally.contracts.subscriptions.SubscriptionState;
import dev.tally.contracts.subscriptions.TopupPurchased;
import dev.tally.credits.domain.PlanChangeCredits;
import dev.tally.credits.domain.Spend;
import dev.tally.credits.repository.LedgerChanges;
import dev.tally.credits.repository.LedgerRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
    private final Outbox outbox;

    public SubscriptionCredits(LedgerRepository ledger, DailyCredits daily, CreditEvents announce, TallyClock clock,
                               Outbox outbox) {
        this.ledger = ledger;
        this.outbox = outbox;
        this.daily = daily;
        this.announce = announce;
        this.clock = clock;
    }

    /**
     * Applies a batch of subscription events and top-ups in the caller's transaction: the accounts
     * are locked and their live buckets read once, each event changes the ledger in memory in order,
     * and the changes are written together.
     */
    public Uni<Void> applyAll(SqlConnection tx, List<InboundEvent> events) {
        Instant now = clock.instant();
        List<String> accounts = events.stream().map(SubscriptionCredits::accountId).distinct().toList();
        List<String> topups = events.stream().filter(e -> e.is(Events.TOPUP_PURCHASED))
                .map(e -> topupReference(e.payload(Events.TOPUP_PURCHASED))).toList();
        return LedgerChanges.load(tx, ledger, accounts, 2 * events.size(), now) // locks the accounts first
                .flatMap(changes -> grantedTopups(tx, topups).flatMap(granted -> {
                    for (InboundEvent event : events) {
                        apply(changes, event, granted);
                    }
                    return changes.write(tx, outbox);
                }));
    }

    private static String accountId(InboundEvent event) {
        return event.is(Events.TOPUP_PURCHASED) ? event.payload(Events.TOPUP_PURCHASED).accountId()
                : ((SubscriptionEvent) event.payload()).subscription().accountId();
    }

    private void apply(LedgerChanges changes, InboundEvent event, Set<String> grantedTopups) {
        if (event.is(Events.TOPUP_PURCHASED)) {
            topup(changes, event.payload(Events.TOPUP_PURCHASED), grantedTopups);
            return;
        }
        SubscriptionEvent payload = (SubscriptionEvent) event.payload();
        SubscriptionState s = payload.subscription();
        if (s.revision() <= changes.terms(s.accountId()).subscriptionRevision()) {
            return; // stale: a later state was applied already
        }
        credits(changes, event, s, payload.change());
        changes.saveTerms(s.accountId(), s.credits().overage(), s.credits().dailyCredits(), s.revision());
        changes.savePeriod(s);
        daily.resetIfNewDay(changes, s.accountId());
    }

    private void credits(LedgerChanges changes, InboundEvent event, SubscriptionState s, PlanChange change) {
        long newGrant = s.credits().creditsPerPeriod();
        String reference = event.id();
        if (event.is(Events.SUBSCRIPTION_STARTED)) {
            grantPeriod(changes, s, newGrant, "subscription started", reference, false);
            return;
        }
        boolean periodEnd = event.is(Events.SUBSCRIPTION_RENEWED) || event.is(Events.SUBSCRIPTION_REVERTED_TO_FREE)
                || (event.is(Events.SUBSCRIPTION_PLAN_CHANGED) && change != null && change.timing() == ChangeTiming.END_OF_PERIOD);
        if (periodEnd) {
            forfeitSubscription(changes, s.accountId(), Long.MAX_VALUE, "period ended", reference);
            grantPeriod(changes, s, newGrant, "credits for the period from " + s.periodStart(), reference, false);
            return;
        }
        if (event.is(Events.SUBSCRIPTION_PLAN_CHANGED) && change != null) {
            long remaining = changes.liveBuckets(s.accountId()).stream().filter(b -> b.kind() == CreditBucketKind.SUBSCRIPTION)
                    .mapToLong(b -> b.remaining()).sum();
            var allocation = PlanChangeCredits.onChange(change.timing(), remaining, change.fromCredits().creditsPerPeriod(),
                    newGrant, change.secondsLeft(), change.secondsInPeriod());
            forfeitSubscription(changes, s.accountId(), allocation.forfeited(), "plan changed to " + s.planCode(), reference);
            grantPeriod(changes, s, allocation.granted(), "plan changed to " + s.planCode(), reference,
                    change.timing() == ChangeTiming.IMMEDIATE_PRORATED);
        }
    }

    /**
     * Grants SUBSCRIPTION credits that end with the credit period they are for (a yearly plan may grant
     * monthly: the credit period containing the period start, or, for a prorated change mid-period,
     * the one containing now; credit-period.ended commands grant the months after).
     */
    private void grantPeriod(LedgerChanges changes, SubscriptionState s, long credits, String reason, String reference, boolean midPeriod) {
        Instant now = changes.now();
        Instant at = midPeriod && now.isAfter(s.periodStart()) && now.isBefore(s.periodEnd()) ? now : s.periodStart();
        Instant expires = s.credits().creditPeriod() == null ? s.periodEnd()
                : CreditPeriods.endOfCreditPeriod(s.periodStart(), s.periodEnd(), s.credits().creditPeriod(), at);
        changes.grant(s.accountId(), CreditBucketKind.SUBSCRIPTION, credits, expires, reason, reference);
        if (credits > 0) {
            announce.granted(changes, s.accountId(), CreditBucketKind.SUBSCRIPTION, credits, reason, expires);
        }
    }

    /** Forfeits up to {@code atMost} subscription credits, soonest-expiring first. */
    private void forfeitSubscription(LedgerChanges changes, String accountId, long atMost, String reason, String reference) {
        List<Spend.Take> takes = new ArrayList<>();
        long left = atMost;
        for (var b : changes.liveBuckets(accountId).stream().filter(b -> b.kind() == CreditBucketKind.SUBSCRIPTION)
                .sorted(dev.tally.credits.domain.SpendingOrder.ORDER).toList()) {
            if (left <= 0) {
                break;
            }
            long take = Math.min(left, b.remaining());
            takes.add(new Spend.Take(b.bucketId(), b.kind(), take));
            left -= take;
        }
        long forfeited = takes.stream().mapToLong(Spend.Take::amount).sum();
        changes.take(accountId, takes, "FORFEIT", reason, reference);
        if (forfeited > 0) {
            announce.forfeited(changes, accountId, CreditBucketKind.SUBSCRIPTION, forfeited, reason);
        }
    }

    private void topup(LedgerChanges changes, TopupPurchased purchase, Set<String> granted) {
        String reference = topupReference(purchase);
        if (!granted.add(reference)) {
            return; // this purchase was granted already (under another event id)
        }
        changes.grant(purchase.accountId(), CreditBucketKind.TOPUP, purchase.credits(), null, "top-up " + purchase.packCode(), reference);
        announce.granted(changes, purchase.accountId(), CreditBucketKind.TOPUP, purchase.credits(), "top-up " + purchase.packCode(), null);
    }

    private static String topupReference(TopupPurchased purchase) {
        return "topup:" + purchase.purchaseId();
    }

    /** Which of these top-up references were granted before. */
    private Uni<Set<String>> grantedTopups(SqlConnection tx, List<String> references) {
        if (references.isEmpty()) {
            return Uni.createFrom().item(new HashSet<>());
        }
        return tx.preparedQuery("SELECT reference FROM ledger_entry WHERE reference = ANY($1) AND kind = 'GRANT' AND bucket = 'TOPUP'")
                .execute(Tuple.of(references.toArray(String[]::new))).map(rows -> {
                    Set<String> found = new HashSet<>();
                    rows.forEach(r -> found.add(r.getString(0)));
                    return found;
                });
    }
}
