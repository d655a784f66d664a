package dev.tally.credits.service;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.problem.Problem;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.credits.domain.Hold;
import dev.tally.credits.domain.HoldStatus;
import dev.tally.credits.repository.HoldRepository;
import dev.tally.credits.repository.LedgerRepository;
import dev.tally.credits.repository.LedgerWriter;
import dev.tally.backbone.tx.Tx;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Reserve credits before long work, then capture some or all (spent in bucket order, as a debit
 * at capture time; the rest is released) or release them. The rules are credits-domain's Hold and
 * AccountLedger.mayReserve; this loads, asks and writes.
 */
@ApplicationScoped
public class Holds {
    private final LedgerRepository ledgers;
    private final LedgerWriter writer;
    private final HoldRepository holds;
    private final CreditLedger credits;
    private final TallyClock clock;

    public Holds(LedgerRepository ledgers, LedgerWriter writer, HoldRepository holds, CreditLedger credits, TallyClock clock) {
        this.ledgers = ledgers;
        this.writer = writer;
        this.holds = holds;
        this.credits = credits;
        this.clock = clock;
    }

    public Uni<Hold> reserve(Tx tx, String accountId, long amount, Duration ttl, String reason) {
        SqlConnection db = tx.connection();
        Instant now = clock.instant();
        return ledgers.load(db, accountId, 0, now).flatMap(ledger -> holds.held(db, accountId, now, null).flatMap(held -> {
            ledger.touch();
            if (!ledger.mayReserve(amount, held)) {
                throw new ProblemException(Problem.of(402, "insufficient_credits", "This hold needs " + amount + " credits; "
                        + Math.max(0, ledger.available() - held) + " are available. Nothing was reserved."));
            }
            var hold = new Hold(UUID.randomUUID(), accountId, amount, HoldStatus.OPEN, 0, reason, now.plus(ttl));
            return writer.write(tx, List.of(ledger)).flatMap(x -> holds.insert(db, hold, now)).replaceWith(hold);
        }));
    }

    public Uni<CreditLedger.DebitResult> capture(Tx tx, String accountId, UUID holdId, long amount) {
        SqlConnection db = tx.connection();
        Instant now = clock.instant();
        return open(tx, accountId, holdId, now).flatMap(hold -> {
            refuse(hold, hold.captureRefusal(amount, now).orElse(null), amount);
            return credits.spend(tx, accountId, amount, hold.reason(), "hold:" + holdId, holdId)
                    .call(x -> holds.close(db, holdId, HoldStatus.CAPTURED, amount));
        });
    }

    public Uni<Hold> release(Tx tx, String accountId, UUID holdId) {
        SqlConnection db = tx.connection();
        Instant now = clock.instant();
        return open(tx, accountId, holdId, now).flatMap(hold -> {
            refuse(hold, hold.refusal(now).orElse(null), 0);
            return holds.close(db, holdId, HoldStatus.RELEASED, 0).replaceWith(hold.closed(HoldStatus.RELEASED, 0));
        });
    }

    private Uni<Hold> open(Tx tx, String accountId, UUID holdId, Instant now) {
        SqlConnection db = tx.connection();
        return ledgers.lockAccount(db, accountId, now).flatMap(t -> holds.lock(db, accountId, holdId))
                .map(found -> found.orElseThrow(() -> ProblemException.naming(404, "hold_not_found", "No hold " + holdId + ".", "holdId")));
    }

    private static void refuse(Hold hold, Hold.Refusal refusal, long amount) {
        if (refusal == null) {
            return;
        }
        throw switch (refusal) {
            case CLOSED -> ProblemException.conflict("hold_closed", "This hold was " + hold.status().name().toLowerCase() + " already.");
            case EXPIRED -> ProblemException.conflict("hold_expired", "This hold expired at " + hold.expiresAt() + "; its credits are free again.");
            case EXCEEDS_HOLD -> ProblemException.naming(422, "capture_exceeds_hold",
                    "This hold reserves " + hold.credits() + " credits, not " + amount + ".", "amount");
        };
    }
}
