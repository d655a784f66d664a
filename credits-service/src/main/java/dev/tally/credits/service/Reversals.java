package dev.tally.credits.service;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.credits.domain.DebitReversal;
import dev.tally.credits.domain.LotTakeback;
import dev.tally.credits.repository.LedgerQueries;
import dev.tally.credits.repository.LedgerRepository;
import dev.tally.credits.repository.LedgerWriter;
import dev.tally.credits.repository.LotTakebacks;
import dev.tally.backbone.tx.Tx;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/**
 * Gives a debit's credits back, once (credits-domain's DebitReversal and AccountLedger.reverse: each
 * part to its bucket while that has not expired, else as PROMO credits valid 30 days; nothing to a
 * voided or clawed-back lot, LotTakeback.withhold). The debit's
 * entries stay; the reversal is new entries (corrections are never edits).
 */
@ApplicationScoped
public class Reversals {
    private final LedgerRepository ledgers;
    private final LedgerQueries queries;
    private final LedgerWriter writer;
    private final TallyClock clock;
    private final LotTakebacks takebacks;

    public Reversals(LedgerRepository ledgers, LedgerQueries queries, LedgerWriter writer, TallyClock clock, LotTakebacks takebacks) {
        this.takebacks = takebacks;
        this.ledgers = ledgers;
        this.queries = queries;
        this.writer = writer;
        this.clock = clock;
    }

    public record Reversal(String debitId, long credits) {
    }

    public Uni<Reversal> reverse(Tx tx, String accountId, String debitId, String reason) {
        SqlConnection db = tx.connection();
        Instant now = clock.instant();
        String reference = DebitReversal.reference(debitId);
        return ledgers.lockAccount(db, accountId, now).flatMap(terms -> queries.byReference(db, accountId, debitId, reference).flatMap(entries -> {
            DebitReversal.Plan plan = DebitReversal.plan(debitId, entries);
            switch (plan.verdict()) {
                case ALREADY_REVERSED -> throw ProblemException.conflict("already_reversed", "Debit " + debitId + " was reversed already.");
                case NOT_FOUND -> throw ProblemException.naming(404, "debit_not_found", "No debit " + debitId + " on this account.", "debitId");
                default -> {
                }
            }
            return takebacks.states(db, plan.parts().stream().map(DebitReversal.Part::bucketId).toList()).flatMap(states -> {
                var withheld = LotTakeback.withhold(plan.parts(), states); // a closed lot is never refilled; a shortfall is settled first
                return ledgers.ledgerOf(db, terms, withheld.parts().size(), now).flatMap(ledger -> {
                    ledger.expireDue(); // due buckets expire first, as before any change
                    long credits = ledger.reverse(withheld.parts(), reason, reference);
                    Uni<Void> kept = io.smallrye.mutiny.Multi.createFrom().iterable(withheld.states().values()).onItem()
                            .transformToUniAndConcatenate(s -> takebacks.save(db, accountId, s, null, null, now)).collect().last().replaceWithVoid();
                    return writer.write(tx, List.of(ledger)).flatMap(x -> kept).replaceWith(new Reversal(debitId, credits));
                });
            });
        }));
    }
}
