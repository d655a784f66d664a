package dev.tally.credits.service;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.inbox.InboundEvent;
import dev.tally.backbone.inbox.PoisonMessage;
import dev.tally.backbone.outbox.OutgoingEvent;
import dev.tally.contracts.Events;
import dev.tally.contracts.credits.CreditsClawedBack;
import dev.tally.contracts.subscriptions.TopupRefunded;
import dev.tally.credits.domain.LotTakeback;
import dev.tally.credits.repository.LedgerRepository;
import dev.tally.credits.repository.LedgerWriter;
import dev.tally.credits.repository.LotTakebacks;
import io.smallrye.mutiny.Multi;
import dev.tally.backbone.tx.Tx;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/**
 * {@code topup.refunded}: a top-up's money went back (a refund or a dispute), so its lot is clawed
 * back in proportion (credits-domain's LotTakeback.clawBack: what it holds leaves by a CLAWBACK
 * entry, what was spent is its shortfall), announced as {@code credits.clawed-back}. The event
 * carries the purchase's cumulative figure, so a repeat, or the webhook's echo of a refund made
 * through Tally, claims nothing more: exactly once whatever the event ids. On the Inbox's transaction.
 */
@ApplicationScoped
public class LotClawbacks {
    private final LedgerRepository ledgers;
    private final LedgerWriter writer;
    private final LotTakebacks takebacks;
    private final TallyClock clock;

    public LotClawbacks(LedgerRepository ledgers, LedgerWriter writer, LotTakebacks takebacks, TallyClock clock) {
        this.ledgers = ledgers;
        this.writer = writer;
        this.takebacks = takebacks;
        this.clock = clock;
    }

    /** Each refund in turn (they are few), in the caller's transaction. */
    public Uni<Void> applyAll(Tx tx, List<InboundEvent> refunds) {
        return Multi.createFrom().iterable(refunds).onItem()
                .transformToUniAndConcatenate(e -> apply(tx, e.payload(Events.TOPUP_REFUNDED))).collect().last().replaceWithVoid();
    }

    private Uni<Void> apply(Tx tx, TopupRefunded refund) {
        SqlConnection db = tx.connection();
        Instant now = clock.instant();
        String account = refund.accountId();
        return ledgers.load(db, account, 0, now) // the account's lock first, then its lot: a debit cannot slip in between
                .flatMap(ledger -> takebacks.lotOfGrant(db, account, "topup:" + refund.purchaseId()).flatMap(found -> {
                    if (found.isEmpty()) { // per-account order puts topup.purchased first: a refund of a purchase never granted
                        throw new PoisonMessage("topup.refunded for purchase " + refund.purchaseId() + " of " + account + ", which was never granted");
                    }
                    var lot = found.get();
                    return takebacks.state(db, lot.id()).flatMap(before -> {
                        ledger.expireDue();
                        long claimed = LotTakeback.claimed(lot.granted(), refund.amountMinor(), refund.takenBackMinor());
                        var cause = "DISPUTE".equals(refund.cause()) ? LotTakeback.Cause.DISPUTE : LotTakeback.Cause.REFUND;
                        String reason = (cause == LotTakeback.Cause.DISPUTE ? "top-up disputed: " : "top-up refunded: ") + refund.packCode()
                                + (refund.reason() == null || refund.reason().isBlank() ? "" : " (" + refund.reason() + ")");
                        var out = LotTakeback.clawBack(ledger, before, lot.granted(), claimed, cause, reason, "clawback:" + refund.reference());
                        if (out.state().equals(before)) {
                            return writer.write(tx, List.of(ledger)); // a repeat or an echo: nothing more to claim
                        }
                        List<OutgoingEvent<?>> events = !out.changed() ? List.of() : List.of(OutgoingEvent.forAccount(Events.CREDITS_CLAWED_BACK,
                                account, new CreditsClawedBack(account, lot.id(), refund.purchaseId().toString(), cause.name(), out.taken(),
                                        out.state().shortfall(), out.state().closed(), ledger.available(), now), now));
                        return writer.write(tx, List.of(ledger), events)
                                .flatMap(x -> takebacks.save(db, account, out.state(), reason, refund.actedBy(), now));
                    });
                }));
    }
}
