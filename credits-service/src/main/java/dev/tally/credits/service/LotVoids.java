package dev.tally.credits.service;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.outbox.OutgoingEvent;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.contracts.Events;
import dev.tally.contracts.credits.LotVoided;
import dev.tally.credits.domain.LotTakeback;
import dev.tally.credits.repository.LedgerRepository;
import dev.tally.credits.repository.LedgerWriter;
import dev.tally.credits.repository.LotQueries;
import dev.tally.credits.repository.LotTakebacks;
import dev.tally.backbone.tx.Tx;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/**
 * An admin voids one lot (credits-domain's LotTakeback.voidLot): under the account's lock, due
 * expiries first, then what the lot holds leaves by a VOID entry, the lot is closed and
 * {@code credits.lot-voided} announced, in one transaction. Debits, holds' captures and reversals
 * take the same lock, so none spends from the lot once the void commits, and none is lost before.
 * Voiding a closed lot again answers the lot as it is.
 */
@ApplicationScoped
public class LotVoids {
    private final LedgerRepository ledgers;
    private final LedgerWriter writer;
    private final LotTakebacks takebacks;
    private final LotQueries lots;
    private final TallyClock clock;

    public LotVoids(LedgerRepository ledgers, LedgerWriter writer, LotTakebacks takebacks, LotQueries lots, TallyClock clock) {
        this.ledgers = ledgers;
        this.writer = writer;
        this.takebacks = takebacks;
        this.lots = lots;
        this.clock = clock;
    }

    public Uni<LotQueries.Lot> voidLot(Tx tx, String accountId, long lotId, String reason, String actedBy) {
        SqlConnection db = tx.connection();
        Instant now = clock.instant();
        return takebacks.lot(db, accountId, lotId).flatMap(found -> {
            if (found.isEmpty()) { // before any lock or write: a refused void changes nothing
                throw ProblemException.naming(404, "lot_not_found", "No lot " + lotId + " on account " + accountId + ".", "lotId");
            }
            return ledgers.load(db, accountId, 0, now).flatMap(ledger -> takebacks.state(db, lotId).flatMap(before -> {
                ledger.expireDue(); // a lot past its expiry expires by its entry first, as before any change
                var out = LotTakeback.voidLot(ledger, before, reason, "void:" + lotId);
                if (!out.changed()) {
                    return writer.write(tx, List.of(ledger));
                }
                var event = OutgoingEvent.forAccount(Events.CREDITS_LOT_VOIDED, accountId, new LotVoided(accountId, lotId,
                        found.get().bucket(), out.taken(), reason, actedBy, ledger.available(), now), now);
                return writer.write(tx, List.of(ledger), List.of(event))
                        .flatMap(x -> takebacks.save(db, accountId, out.state(), reason, actedBy, now));
            }));
        }).flatMap(x -> lots.lots(db, accountId, LotQueries.Filter.ALL, now, lotId + 1, 1)).map(page -> page.get(0));
    }
}
