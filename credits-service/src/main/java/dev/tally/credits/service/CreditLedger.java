package dev.tally.credits.service;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.problem.Problem;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.backbone.tx.Transactions;
import dev.tally.backbone.tx.Tx;
import dev.tally.credits.domain.AccountLedger;
import dev.tally.credits.domain.DebitOutcome;
import dev.tally.credits.domain.SpendingOrder;
import dev.tally.credits.repository.BalanceReads;
import dev.tally.credits.repository.HoldRepository;
import dev.tally.credits.repository.LedgerRepository;
import dev.tally.credits.repository.LedgerWriter;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Balances, and the spend of one hold's capture: load the account's ledger (locked), touch it (the
 * day's reset, due expiries), ask it for the debit, write what it recorded, in the caller's
 * transaction. Debits through the API go through {@link DebitGroups}, which does the same for many
 * debits in one transaction. A balance whose touch records nothing is a plain read ({@link BalanceReads}).
 */
@ApplicationScoped
public class CreditLedger {
    private final Transactions transactions;
    private final Pool pool;
    private final BalanceReads balances;
    private final LedgerRepository ledgers;
    private final LedgerWriter writer;
    private final HoldRepository holds;
    private final TallyClock clock;

    public CreditLedger(Transactions transactions, Pool pool, BalanceReads balances, LedgerRepository ledgers, LedgerWriter writer,
                        HoldRepository holds, TallyClock clock) {
        this.transactions = transactions;
        this.pool = pool;
        this.balances = balances;
        this.ledgers = ledgers;
        this.writer = writer;
        this.holds = holds;
        this.clock = clock;
    }

    public record Part(String bucket, long credits) {
    }

    public record DebitResult(String debitId, long amount, List<Part> takenFrom, long overage, long balance) {
    }

    /** {@code available} is what may be spent now: the buckets' credits less what open holds reserve. */
    public record Balance(String accountId, long available, long held, Map<String, Long> byBucket) {
    }

    /** Spends in bucket order, treating credits reserved by other open holds as unavailable on BLOCK plans. */
    Uni<DebitResult> spend(Tx tx, String accountId, long amount, String reason, String reference, UUID ownHold) {
        SqlConnection db = tx.connection();
        Instant now = clock.instant();
        return ledgers.load(db, accountId, 0, now).flatMap(ledger -> holds.held(db, accountId, now, ownHold).flatMap(held -> {
            ledger.touch();
            DebitOutcome debit = ledger.debit(amount, held, reason, reference);
            if (debit.refused()) {
                throw new ProblemException(insufficient(amount, debit.availableBefore()));
            }
            return writer.write(tx, List.of(ledger)).replaceWith(result(reference, amount, debit));
        }));
    }

    static DebitResult result(String reference, long amount, DebitOutcome debit) {
        return new DebitResult(reference, amount, debit.spend().takes().stream().map(t -> new Part(t.kind().name(), t.amount())).toList(),
                debit.spend().overage(), debit.balanceAfter());
    }

    /** The answer to a debit a BLOCK plan cannot cover. */
    static Problem insufficient(long amount, long available) {
        return Problem.of(402, "insufficient_credits",
                "This debit needs " + amount + " credits; " + Math.max(0, available) + " are available. Nothing was taken.");
    }

    /**
     * Spendable credits by bucket kind, as of now (today's daily credits included even before first
     * use; a bucket past its expiry is expired by its entry first, so it never shows). First one
     * statement's snapshot, no lock, no write: when touching it (the day's reset, due expiries) would
     * record nothing, that is the answer; otherwise the account is read again locked and what the
     * touch records is written before the answer.
     */
    public Uni<Balance> balance(String accountId) {
        Instant now = clock.instant();
        return balances.read(pool, accountId, now).flatMap(snapshot -> {
            AccountLedger ledger = new AccountLedger(snapshot.terms(), snapshot.live(), BalanceReads.unwritten(), now);
            ledger.touch();
            return ledger.termsChanged() || !ledger.record().isEmpty() ? recordedBalance(accountId, now)
                    : Uni.createFrom().item(balance(ledger, snapshot.held()));
        });
    }

    /**
     * The read of an account whose touch records something (the day's reset, an expiry due, a
     * rollover): locked, touched, written, then answered, so a balance never shows what the ledger
     * does not hold.
     */
    private Uni<Balance> recordedBalance(String accountId, Instant now) {
        return transactions.onConnection(tx -> ledgers.load(tx.connection(), accountId, 0, now).flatMap(ledger -> holds.held(tx.connection(), accountId, now, null)
                .flatMap(held -> {
                    ledger.touch();
                    return writer.write(tx, List.of(ledger)).replaceWith(() -> balance(ledger, held));
                })));
    }

    private static Balance balance(AccountLedger ledger, long held) {
        Map<String, Long> byKind = new LinkedHashMap<>();
        ledger.live().stream().filter(b -> b.spendableAt(ledger.now())).sorted(SpendingOrder.ORDER)
                .forEach(b -> byKind.merge(b.kind().name(), b.remaining(), Long::sum));
        return new Balance(ledger.accountId(), Math.max(0, ledger.available() - held), held, byKind);
    }
}
