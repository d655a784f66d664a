package dev.tally.credits.service;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.inbox.InboundEvent;
import dev.tally.contracts.Events;
import dev.tally.contracts.credits.CreditBucketKind;
import dev.tally.contracts.subscriptions.PlanChange;
import dev.tally.contracts.subscriptions.SubscriptionEvent;
import dev.tally.contracts.subscriptions.SubscriptionState;
import dev.tally.contracts.subscriptions.TopupPurchased;
import dev.tally.credits.domain.AccountLedger;
import dev.tally.credits.domain.SubscriptionGrants;
import dev.tally.credits.repository.EntitlementProjection;
import dev.tally.credits.repository.LedgerQueries;
import dev.tally.credits.repository.LedgerRepository;
import dev.tally.credits.repository.LedgerWriter;
import dev.tally.credits.repository.ParkedEvents;
import dev.tally.backbone.tx.Tx;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Turns subscription events into grants, carries and forfeits (the rules: credits-domain's
 * SubscriptionGrants; docs/rules.md, Credits), on the Inbox's transaction. Each revision of a subscription is applied once and in revision order,
 * whatever order and however often its events arrive (SubscriptionTurns); top-ups once per purchase.
 */
@ApplicationScoped
public class SubscriptionCredits {
    private static final Logger LOG = Logger.getLogger(SubscriptionCredits.class);
    private final LedgerRepository ledgers;
    private final LedgerWriter writer;
    private final LedgerQueries queries;
    private final TallyClock clock;
    private final ParkedEvents parked;
    private final BillingCommands billingCommands;
    private final LotClawbacks clawbacks;
    private final EntitlementProjection entitlements;

    public SubscriptionCredits(LedgerRepository ledgers, LedgerWriter writer, LedgerQueries queries, TallyClock clock, ParkedEvents parked,
                               BillingCommands billingCommands, LotClawbacks clawbacks, EntitlementProjection entitlements) {
        this.clawbacks = clawbacks;
        this.entitlements = entitlements;
        this.ledgers = ledgers;
        this.writer = writer;
        this.queries = queries;
        this.clock = clock;
        this.parked = parked;
        this.billingCommands = billingCommands;
    }

    /**
     * Applies a batch of subscription events and top-ups in the caller's transaction: the accounts'
     * ledgers are loaded (locked) and their parked events read once; top-ups are granted by purchase,
     * subscription events in revision order (SubscriptionTurns), each asking its account's ledger;
     * the ledgers are written together, the events still waiting parked, and the billing commands
     * that waited for the subscriptions that moved on are applied. Refunds of top-ups are clawed
     * back after those ({@link LotClawbacks}).
     */
    public Uni<Void> applyAll(Tx tx, List<InboundEvent> batch) {
        // refunds after the grants of the same batch (a purchase and its refund may arrive together)
        List<InboundEvent> refunds = batch.stream().filter(e -> e.is(Events.TOPUP_REFUNDED)).toList();
        List<InboundEvent> events = refunds.isEmpty() ? batch : batch.stream().filter(e -> !e.is(Events.TOPUP_REFUNDED)).toList();
        Uni<Void> grants = events.isEmpty() ? Uni.createFrom().voidItem() : applyGrants(tx, events);
        return refunds.isEmpty() ? grants : grants.flatMap(x -> clawbacks.applyAll(tx, refunds));
    }

    private Uni<Void> applyGrants(Tx tx, List<InboundEvent> events) {
        SqlConnection db = tx.connection();
        Instant now = clock.instant();
        List<String> accounts = events.stream().map(SubscriptionCredits::accountId).distinct().toList();
        List<String> topups = events.stream().filter(e -> e.is(Events.TOPUP_PURCHASED))
                .map(e -> topupReference(e.payload(Events.TOPUP_PURCHASED))).toList();
        return ledgers.lockAccounts(db, accounts, now) // locks the accounts first
                .flatMap(terms -> Uni.combine().all().unis(ledgers.liveBuckets(db, accounts), parked.of(db, accounts), queries.grantedTopups(db, topups))
                        .asTuple() // pipelined
                        .flatMap(read -> ledgers.reserve(db, 3 * (events.size() + read.getItem2().size()) // a grant, a day, a rolled lot
                                + LedgerRepository.newBucketsDue(terms, read.getItem1(), now)).map(ids -> {
                            Map<String, AccountLedger> batch = LedgerRepository.ledgers(accounts, terms, read.getItem1(), ids, now);
                            return apply(batch, events, read.getItem2(), read.getItem3());
                        }))
                        .flatMap(applied -> writer.write(tx, applied.ledgers().values())
                                .flatMap(x -> entitlements.apply(tx, applied.subscriptionEvents(), now))
                                .flatMap(x -> parked.park(db, applied.parkNow(), now))
                                .flatMap(x -> parked.remove(db, applied.unparked()))
                                .flatMap(x -> applied.commands().isEmpty() ? Uni.createFrom().voidItem()
                                        : billingCommands.retry(tx, applied.commands()))));
    }

    private record Applied(Map<String, AccountLedger> ledgers, List<ParkedEvents.ToPark> parkNow, List<Long> unparked,
                           List<ParkedEvents.Parked> commands, List<InboundEvent> subscriptionEvents) {
    }

    private Applied apply(Map<String, AccountLedger> batch, List<InboundEvent> events, List<ParkedEvents.Parked> waiting, Set<String> granted) {
        Map<String, Long> revisions = new HashMap<>();
        batch.forEach((a, l) -> revisions.put(a, l.terms().subscriptionRevision()));
        SubscriptionTurns turns = new SubscriptionTurns(revisions, waiting);
        Set<String> moved = new HashSet<>();
        List<InboundEvent> appliedInTurn = new ArrayList<>();
        for (InboundEvent event : events) {
            if (event.is(Events.TOPUP_PURCHASED)) {
                AccountLedger ledger = batch.get(accountId(event));
                ledger.expireDue();
                topup(ledger, event.payload(Events.TOPUP_PURCHASED), granted);
                continue;
            }
            for (InboundEvent due : turns.arrived(event)) {
                apply(batch.get(SubscriptionTurns.accountId(due)), due);
                moved.add(SubscriptionTurns.accountId(due));
                appliedInTurn.add(due);
            }
        }
        List<ParkedEvents.ToPark> parkNow = turns.toPark();
        parkNow.forEach(p -> LOG.infof("subscription event %s (%s, revision %d) of account %s arrived before revision %d: parked",
                p.event().id(), p.event().type().name(), p.revision(), p.accountId(),
                Math.max(0, batch.get(p.accountId()).terms().subscriptionRevision()) + 1));
        List<ParkedEvents.Parked> commands = waiting.stream().filter(p -> p.revision() == null && moved.contains(p.accountId())).toList();
        return new Applied(batch, parkNow, turns.unparked(), commands, appliedInTurn);
    }

    private static String accountId(InboundEvent event) {
        return event.is(Events.TOPUP_PURCHASED) ? event.payload(Events.TOPUP_PURCHASED).accountId() : SubscriptionTurns.accountId(event);
    }

    /** One subscription event, in its turn: the revision before it is applied, this one is not yet. */
    private static void apply(AccountLedger ledger, InboundEvent event) {
        SubscriptionEvent payload = (SubscriptionEvent) event.payload();
        SubscriptionState s = payload.subscription();
        PlanChange change = payload.change();
        ledger.expireDue(); // due buckets leave by entries before the event reads them, as alone
        if (event.is(Events.SUBSCRIPTION_STARTED)) {
            SubscriptionGrants.started(ledger, s, event.id());
        } else if (event.is(Events.SUBSCRIPTION_RENEWED) || event.is(Events.SUBSCRIPTION_REVERTED_TO_FREE)) {
            SubscriptionGrants.periodEnded(ledger, s, event.id());
        } else if (event.is(Events.SUBSCRIPTION_PLAN_CHANGED) && change != null) {
            SubscriptionGrants.planChanged(ledger, s, change, event.id());
        }
        ledger.applyTerms(s.credits().overage(), s.credits().dailyCredits(), s.credits().rollover(), s.revision());
        ledger.applyPeriod(SubscriptionGrants.periodOf(s));
        ledger.resetDailyIfNewDay();
    }

    private static void topup(AccountLedger ledger, TopupPurchased purchase, Set<String> granted) {
        String reference = topupReference(purchase);
        if (!granted.add(reference)) {
            return; // this purchase was granted already (under another event id)
        }
        ledger.grant(CreditBucketKind.TOPUP, purchase.credits(), null, "top-up " + purchase.packCode(), reference, true);
    }

    private static String topupReference(TopupPurchased purchase) {
        return "topup:" + purchase.purchaseId();
    }
}
