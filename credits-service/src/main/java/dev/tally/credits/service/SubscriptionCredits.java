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
import dev.tally.credits.repository.ParkedEvents;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Turns subscription events into grants, carries and forfeits (docs/rules.md, Credits), on the
 * Inbox's transaction. Each revision of a subscription is applied once and in revision order,
 * whatever order and however often its events arrive (SubscriptionTurns); top-ups once per purchase.
 */
@ApplicationScoped
public class SubscriptionCredits {
    private static final Logger LOG = Logger.getLogger(SubscriptionCredits.class);
    private final LedgerRepository ledger;
    private final DailyCredits daily;
    private final CreditEvents announce;
    private final TallyClock clock;
    private final Outbox outbox;
    private final ParkedEvents parked;
    private final BillingCommands billingCommands;
    private final Expiries expiries;

    public SubscriptionCredits(LedgerRepository ledger, DailyCredits daily, CreditEvents announce, TallyClock clock,
                               Outbox outbox, ParkedEvents parked, BillingCommands billingCommands, Expiries expiries) {
        this.ledger = ledger;
        this.expiries = expiries;
        this.parked = parked;
        this.billingCommands = billingCommands;
        this.outbox = outbox;
        this.daily = daily;
        this.announce = announce;
        this.clock = clock;
    }

    /**
     * Applies a batch of subscription events and top-ups in the caller's transaction: the accounts
     * are locked and their live buckets and parked events read once; top-ups are granted by purchase,
     * subscription events in revision order (SubscriptionTurns), each changing the ledger in memory;
     * the changes are written together, the events still waiting parked, and the billing commands
     * that waited for the subscriptions that moved on are applied.
     */
    public Uni<Void> applyAll(SqlConnection tx, List<InboundEvent> events) {
        Instant now = clock.instant();
        List<String> accounts = events.stream().map(SubscriptionCredits::accountId).distinct().toList();
        List<String> topups = events.stream().filter(e -> e.is(Events.TOPUP_PURCHASED))
                .map(e -> topupReference(e.payload(Events.TOPUP_PURCHASED))).toList();
        return LedgerChanges.load(tx, ledger, accounts, 2 * events.size(), now) // locks the accounts first
                .flatMap(changes -> Uni.combine().all().unis(parked.of(tx, accounts), grantedTopups(tx, topups)).asTuple() // pipelined
                        .flatMap(read -> changes.reserve(tx, 2 * read.getItem1().size()).replaceWith(read)).flatMap(read -> {
                            List<ParkedEvents.Parked> waiting = read.getItem1();
                            Set<String> granted = read.getItem2();
                            Map<String, Long> revisions = new HashMap<>();
                            accounts.forEach(a -> revisions.put(a, changes.terms(a).subscriptionRevision()));
                            SubscriptionTurns turns = new SubscriptionTurns(revisions, waiting);
                            Set<String> moved = new HashSet<>();
                            for (InboundEvent event : events) {
                                if (event.is(Events.TOPUP_PURCHASED)) {
                                    expiries.expireDue(changes, accountId(event));
                                    topup(changes, event.payload(Events.TOPUP_PURCHASED), granted);
                                    continue;
                                }
                                for (InboundEvent due : turns.arrived(event)) {
                                    apply(changes, due);
                                    moved.add(SubscriptionTurns.accountId(due));
                                }
                            }
                            List<ParkedEvents.ToPark> parkNow = turns.toPark();
                            parkNow.forEach(p -> LOG.infof("subscription event %s (%s, revision %d) of account %s arrived before revision %d: parked",
                                    p.event().id(), p.event().type().name(), p.revision(), p.accountId(),
                                    Math.max(0, changes.terms(p.accountId()).subscriptionRevision()) + 1));
                            List<ParkedEvents.Parked> commands = waiting.stream().filter(p -> p.revision() == null && moved.contains(p.accountId())).toList();
                            return changes.write(tx, outbox)
                                    .flatMap(x -> parked.park(tx, parkNow, now))
                                    .flatMap(x -> parked.remove(tx, turns.unparked()))
                                    .flatMap(x -> commands.isEmpty() ? Uni.createFrom().voidItem() : billingCommands.retry(tx, commands));
                        }));
    }

    private static String accountId(InboundEvent event) {
        return event.is(Events.TOPUP_PURCHASED) ? event.payload(Events.TOPUP_PURCHASED).accountId() : SubscriptionTurns.accountId(event);
    }

    /** One subscription event, in its turn: the revision before it is applied, this one is not yet. */
    private void apply(LedgerChanges changes, InboundEvent event) {
        SubscriptionEvent payload = (SubscriptionEvent) event.payload();
        SubscriptionState s = payload.subscription();
        expiries.expireDue(changes, s.accountId()); // due buckets leave by entries before the event reads them, as alone
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
