package dev.tally.credits.service;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.inbox.InboundEvent;
import dev.tally.backbone.outbox.Outbox;
import dev.tally.backbone.outbox.OutgoingEvent;
import dev.tally.contracts.EventType;
import dev.tally.contracts.Events;
import dev.tally.contracts.credits.AutoTopupDisabled;
import dev.tally.contracts.subscriptions.AutoTopupPaymentFailed;
import dev.tally.credits.domain.AutoTopup;
import dev.tally.credits.repository.AutoTopupRepository;
import dev.tally.credits.repository.LedgerRepository;
import dev.tally.backbone.tx.Tx;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How auto top-ups' payments ended, from subscriptions-service, on the consumer's transaction (the
 * Inbox applies each event once): a {@code topup.purchased} whose purchase is the request in flight
 * settles it (its credits are granted by the top-up grant, {@code topup:<purchaseId>}, in the same
 * transaction); an {@code auto-topup.payment-failed} of it counts a failure and, at the account's
 * {@code maxFailures} in a row, switches auto top-up off ({@code credits.auto-topup-disabled}).
 * The caller holds the accounts' locks.
 */
@ApplicationScoped
public class AutoTopupPayments {
    public static final Set<EventType<?>> HANDLED = Set.of(Events.TOPUP_PURCHASED, Events.AUTO_TOPUP_PAYMENT_FAILED);
    private final AutoTopupRepository repository;
    private final LedgerRepository ledgers;
    private final Outbox outbox;
    private final TallyClock clock;

    public AutoTopupPayments(AutoTopupRepository repository, LedgerRepository ledgers, Outbox outbox, TallyClock clock) {
        this.repository = repository;
        this.ledgers = ledgers;
        this.outbox = outbox;
        this.clock = clock;
    }

    private static String accountId(InboundEvent e) {
        return e.is(Events.TOPUP_PURCHASED) ? e.payload(Events.TOPUP_PURCHASED).accountId() : e.payload(Events.AUTO_TOPUP_PAYMENT_FAILED).accountId();
    }

    /** Locks every account of the batch, in account order, before anything else of the batch is done. */
    public Uni<Void> lockAccounts(Tx tx, List<InboundEvent> events) {
        SqlConnection db = tx.connection();
        List<String> accounts = events.stream().map(e -> HANDLED.contains(e.type()) ? accountId(e) : SubscriptionTurns.accountId(e)).distinct().toList();
        return ledgers.lockAccounts(db, accounts, clock.instant()).replaceWithVoid();
    }

    public Uni<Void> applyAll(Tx tx, List<InboundEvent> events) {
        SqlConnection db = tx.connection();
        List<InboundEvent> ours = events.stream().filter(e -> HANDLED.contains(e.type())).toList();
        if (ours.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Instant now = clock.instant();
        return repository.of(db, ours.stream().map(AutoTopupPayments::accountId).distinct().toList()).flatMap(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().voidItem(); // top-ups bought by hand, of accounts without auto top-up
            }
            Map<String, AutoTopup> changed = new HashMap<>();
            List<OutgoingEvent<?>> out = new ArrayList<>();
            for (InboundEvent e : ours) {
                String account = accountId(e);
                AutoTopup t = changed.getOrDefault(account, found.get(account));
                if (t == null) {
                    continue;
                }
                if (e.is(Events.TOPUP_PURCHASED)) {
                    AutoTopup settled = t.settled(e.payload(Events.TOPUP_PURCHASED).purchaseId());
                    if (settled != t) {
                        changed.put(account, settled);
                    }
                    continue;
                }
                AutoTopupPaymentFailed failed = e.payload(Events.AUTO_TOPUP_PAYMENT_FAILED);
                AutoTopup.Failure f = t.failed(failed.requestId());
                if (f.after() != t) {
                    changed.put(account, f.after());
                }
                if (f.switchedOff()) {
                    out.add(OutgoingEvent.forAccount(Events.AUTO_TOPUP_DISABLED, account,
                            new AutoTopupDisabled(account, AutoTopup.PAYMENT_FAILURES, f.after().failuresInRow(), now), now));
                }
            }
            return repository.save(db, changed.values(), now).flatMap(x -> out.isEmpty() ? Uni.createFrom().voidItem() : outbox.addAll(tx, out));
        });
    }
}
