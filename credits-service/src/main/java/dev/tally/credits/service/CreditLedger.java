package dev.tally.credits.service;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.outbox.Outbox;
import dev.tally.backbone.outbox.OutgoingEvent;
import dev.tally.backbone.problem.Problem;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.contracts.Events;
import dev.tally.contracts.credits.LowBalance;
import dev.tally.credits.domain.Spend;
import dev.tally.credits.domain.SpendingOrder;
import dev.tally.credits.repository.HoldRepository;
import dev.tally.credits.repository.LedgerRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Balances, and the spend of one hold's capture: lock the account row, apply the day's reset, plan
 * the spend in bucket order (pure domain), write one ledger entry per bucket touched, in the
 * caller's transaction. Debits through the API go through {@link DebitGroups}, which does the same
 * for many debits in one transaction.
 */
@ApplicationScoped
public class CreditLedger {
    private final Pool pool;
    private final LedgerRepository ledger;
    private final DailyCredits daily;
    private final HoldRepository holds;
    private final TallyClock clock;
    private final Outbox outbox;
    private final Expiries expiries;
    private final long lowBalanceThreshold;

    public CreditLedger(Pool pool, LedgerRepository ledger, DailyCredits daily, HoldRepository holds, TallyClock clock,
                        Outbox outbox, Expiries expiries,
                        @ConfigProperty(name = "tally.credits.low-balance-threshold",
                                defaultValue = "50") long lowBalanceThreshold) {
        this.pool = pool;
        this.ledger = ledger;
        this.daily = daily;
        this.holds = holds;
        this.clock = clock;
        this.outbox = outbox;
        this.expiries = expiries;
        this.lowBalanceThreshold = lowBalanceThreshold;
    }

    public record Part(String bucket, long credits) {
    }

    public record DebitResult(String debitId, long amount, List<Part> takenFrom, long overage, long balance) {
    }

    /** {@code available} is what may be spent now: the buckets' credits less what open holds reserve. */
    public record Balance(String accountId, long available, long held, Map<String, Long> byBucket) {
    }

    /** Spends in bucket order, treating credits reserved by other open holds as unavailable on BLOCK plans. */
    Uni<DebitResult> spend(SqlConnection tx, String accountId, long amount, String reason, String reference, UUID ownHold) {
        var now = clock.instant();
        return ledger.lockAccount(tx, accountId, now)
                .call(terms -> daily.resetIfNewDay(tx, terms))
                .flatMap(terms -> live(tx, accountId, now).flatMap(buckets -> holds.held(tx, accountId, now, ownHold).flatMap(held -> {
                    Spend spend = SpendingOrder.plan(buckets, held, amount, now, terms.overage().mode());
                    long available = SpendingOrder.available(buckets, now) - held;
                    if (spend.refused()) {
                        throw new ProblemException(insufficient(amount, available));
                    }
                    return ledger.take(tx, accountId, spend.takes(), "DEBIT", reason, reference, now)
                            .call(x -> spend.overage() > 0 ? ledger.recordOverage(tx, accountId, spend.overage(), reference, now)
                                    : Uni.createFrom().voidItem())
                            .call(x -> lowBalance(tx, accountId, available, available - spend.covered(), now))
                            .map(x -> new DebitResult(reference, amount,
                                    spend.takes().stream().map(t -> new Part(t.kind().name(), t.amount())).toList(),
                                    spend.overage(), Math.max(0, available - spend.covered())));
                })));
    }

    /** The answer to a debit a BLOCK plan cannot cover. */
    static Problem insufficient(long amount, long available) {
        return Problem.of(402, "insufficient_credits",
                "This debit needs " + amount + " credits; " + Math.max(0, available) + " are available. Nothing was taken.");
    }

    /** One {@code credits.low-balance} event when a debit takes the balance across the threshold (not on every debit below it). */
    Uni<Void> lowBalance(SqlConnection tx, String accountId, long before, long after, Instant now) {
        if (before < lowBalanceThreshold || after >= lowBalanceThreshold) {
            return Uni.createFrom().voidItem();
        }
        return outbox.add(tx, OutgoingEvent.forAccount(Events.CREDITS_LOW_BALANCE, accountId,
                new LowBalance(accountId, Math.max(0, after), lowBalanceThreshold, now), now));
    }

    /** The account's live buckets, read under its lock, its due buckets expired first (by entries, in this transaction). */
    Uni<List<dev.tally.credits.domain.BucketBalance>> live(SqlConnection tx, String accountId, Instant now) {
        return ledger.liveBuckets(tx, accountId).flatMap(buckets -> expiries.expireDue(tx, accountId, buckets, now));
    }

    /**
     * Spendable credits by bucket kind, as of now (today's daily credits included even before first
     * use; a bucket past its expiry is expired by its entry first, so it never shows).
     */
    public Uni<Balance> balance(String accountId) {
        var now = clock.instant();
        return pool.withTransaction(tx -> ledger.lockAccount(tx, accountId, now)
                .call(terms -> daily.resetIfNewDay(tx, terms))
                .flatMap(terms -> live(tx, accountId, now))
                .flatMap(buckets -> holds.held(tx, accountId, now, null).map(held -> {
                    Map<String, Long> byKind = new java.util.LinkedHashMap<>();
                    buckets.stream().filter(b -> b.spendableAt(now)).sorted(SpendingOrder.ORDER)
                            .forEach(b -> byKind.merge(b.kind().name(), b.remaining(), Long::sum));
                    return new Balance(accountId, Math.max(0, SpendingOrder.available(buckets, now) - held), held, byKind);
                })));
    }
}
