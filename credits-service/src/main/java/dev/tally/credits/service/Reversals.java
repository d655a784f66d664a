package dev.tally.credits.service;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.credits.domain.DebitReversal;
import dev.tally.credits.repository.LedgerQueries;
import dev.tally.credits.repository.LedgerRepository;
import dev.tally.credits.repository.LedgerWriter;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/**
 * Gives a debit's credits back, once (credits-domain's DebitReversal and AccountLedger.reverse: each
 * part to its bucket while that has not expired, else as PROMO credits valid 30 days). The debit's
 * entries stay; the reversal is new entries (corrections are never edits).
 */
@ApplicationScoped
public class Reversals {
    private final LedgerRepository ledgers;
    private final LedgerQueries queries;
    private final LedgerWriter writer;
    private final TallyClock clock;

    public Reversals(LedgerRepository ledgers, LedgerQueries queries, LedgerWriter writer, TallyClock clock) {
        this.ledgers = ledgers;
        this.queries = queries;
        this.writer = writer;
        this.clock = clock;
    }

    public record Reversal(String debitId, long credits) {
    }

    public Uni<Reversal> reverse(SqlConnection tx, String accountId, String debitId, String reason) {
        Instant now = clock.instant();
        String reference = DebitReversal.reference(debitId);
        return ledgers.lockAccount(tx, accountId, now).flatMap(terms -> queries.byReference(tx, accountId, debitId, reference).flatMap(entries -> {
            DebitReversal.Plan plan = DebitReversal.plan(debitId, entries);
            switch (plan.verdict()) {
                case ALREADY_REVERSED -> throw ProblemException.conflict("already_reversed", "Debit " + debitId + " was reversed already.");
                case NOT_FOUND -> throw ProblemException.naming(404, "debit_not_found", "No debit " + debitId + " on this account.", "debitId");
                default -> {
                }
            }
            return ledgers.ledgerOf(tx, terms, plan.parts().size(), now).flatMap(ledger -> {
                ledger.expireDue(); // due buckets expire first, as before any change
                long credits = ledger.reverse(plan.parts(), reason, reference);
                return writer.write(tx, List.of(ledger)).replaceWith(new Reversal(debitId, credits));
            });
        }));
    }
}
