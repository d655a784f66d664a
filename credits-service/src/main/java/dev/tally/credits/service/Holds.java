package dev.tally.credits.service;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.problem.Problem;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.contracts.plans.Overage;
import dev.tally.credits.domain.SpendingOrder;
import dev.tally.credits.repository.HoldRepository;
import dev.tally.credits.repository.HoldRepository.Hold;
import dev.tally.credits.repository.LedgerRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.UUID;

/**
 * Reserve credits before long work, then capture some or all (spent in bucket order, as a debit
 * at capture time; the rest is released) or release them. A hold past its expiry reserves nothing
 * and can no longer be captured.
 */
@ApplicationScoped
public class Holds {
    private final LedgerRepository ledger;
    private final HoldRepository holds;
    private final CreditLedger credits;
    private final DailyCredits daily;
    private final TallyClock clock;

    public Holds(LedgerRepository ledger, HoldRepository holds, CreditLedger credits, DailyCredits daily, TallyClock clock) {
        this.ledger = ledger;
        this.holds = holds;
        this.credits = credits;
        this.daily = daily;
        this.clock = clock;
    }

    public Uni<Hold> reserve(SqlConnection tx, String accountId, long amount, Duration ttl, String reason) {
        var now = clock.instant();
        return ledger.lockAccount(tx, accountId, now).call(terms -> daily.resetIfNewDay(tx, terms))
                .flatMap(terms -> credits.live(tx, accountId, now).flatMap(buckets -> holds.held(tx, accountId, now, null).flatMap(held -> {
                    long available = SpendingOrder.available(buckets, now) - held;
                    if (terms.overage().mode() == Overage.Mode.BLOCK && available < amount) {
                        throw new ProblemException(Problem.of(402, "insufficient_credits",
                                "This hold needs " + amount + " credits; " + Math.max(0, available) + " are available. Nothing was reserved."));
                    }
                    var hold = new Hold(UUID.randomUUID(), accountId, amount, "OPEN", 0, reason, now.plus(ttl));
                    return holds.insert(tx, hold, now).replaceWith(hold);
                })));
    }

    public Uni<CreditLedger.DebitResult> capture(SqlConnection tx, String accountId, UUID holdId, long amount) {
        return open(tx, accountId, holdId).flatMap(hold -> {
            if (amount > hold.credits()) {
                throw ProblemException.naming(422, "capture_exceeds_hold", "This hold reserves " + hold.credits() + " credits, not " + amount + ".", "amount");
            }
            return credits.spend(tx, accountId, amount, hold.reason(), "hold:" + holdId, holdId)
                    .call(x -> holds.close(tx, holdId, "CAPTURED", amount));
        });
    }

    public Uni<Hold> release(SqlConnection tx, String accountId, UUID holdId) {
        return open(tx, accountId, holdId).call(hold -> holds.close(tx, holdId, "RELEASED", 0))
                .map(h -> new Hold(h.id(), h.accountId(), h.credits(), "RELEASED", 0, h.reason(), h.expiresAt()));
    }

    private Uni<Hold> open(SqlConnection tx, String accountId, UUID holdId) {
        var now = clock.instant();
        return ledger.lockAccount(tx, accountId, now).flatMap(t -> holds.lock(tx, accountId, holdId)).map(found -> {
            Hold hold = found.orElseThrow(() -> ProblemException.naming(404, "hold_not_found", "No hold " + holdId + ".", "holdId"));
            if (!"OPEN".equals(hold.status())) {
                throw ProblemException.conflict("hold_closed", "This hold was " + hold.status().toLowerCase() + " already.");
            }
            if (!hold.openAt(now)) {
                throw ProblemException.conflict("hold_expired", "This hold expired at " + hold.expiresAt() + "; its credits are free again.");
            }
            return hold;
        });
    }
}
