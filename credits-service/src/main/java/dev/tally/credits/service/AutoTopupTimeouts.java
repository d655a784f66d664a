package dev.tally.credits.service;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.outbox.Outbox;
import dev.tally.backbone.outbox.OutgoingEvent;
import dev.tally.backbone.tx.Tx;
import dev.tally.contracts.Events;
import dev.tally.contracts.credits.AutoTopupDisabled;
import dev.tally.contracts.credits.AutoTopupTimedOut;
import dev.tally.credits.domain.AutoTopup;
import dev.tally.credits.repository.AutoTopupRepository;
import dev.tally.credits.repository.LedgerRepository;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Auto top-ups left in flight with no answer: a request (or its answer) that was dead-lettered or
 * lost would keep the account from ever asking again. Every {@code tally.credits.auto-topup.timeout-check-every}
 * (60 s), the top-ups in flight for longer than {@code tally.credits.auto-topup.in-flight-timeout}
 * (2 h, by {@link TallyClock}; longer than subscriptions-service keeps asking a gateway that does not
 * answer) are cleared (credits-domain's AutoTopup.timedOut: counted as a failure, the month's spend
 * kept) with {@code credits.auto-topup-timed-out}, and {@code credits.auto-topup-disabled} when that
 * switched it off. The accounts are locked first ({@code SKIP LOCKED}: a debit or consumer holding
 * one goes first, the next round sees it again), then their rows re-read under the lock, so an answer
 * that arrived meanwhile wins. A late settlement is granted as any top-up, once by its purchase.
 */
@ApplicationScoped
public class AutoTopupTimeouts {
    public static final String IDENTITY = "auto-topup-timeouts";
    private static final Logger LOG = Logger.getLogger(AutoTopupTimeouts.class);
    private static final int BATCH = 200;
    private final Pool pool;
    private final LedgerRepository ledgers;
    private final AutoTopupRepository repository;
    private final Outbox outbox;
    private final TallyClock clock;
    private final Duration timeout;

    public AutoTopupTimeouts(Pool pool, LedgerRepository ledgers, AutoTopupRepository repository, Outbox outbox, TallyClock clock,
                             @ConfigProperty(name = "tally.credits.auto-topup.in-flight-timeout", defaultValue = "2h") Duration timeout) {
        this.pool = pool;
        this.ledgers = ledgers;
        this.repository = repository;
        this.outbox = outbox;
        this.clock = clock;
        this.timeout = timeout;
    }

    @Scheduled(identity = IDENTITY, every = "${tally.credits.auto-topup.timeout-check-every:60s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> onSchedule() {
        return clearUnanswered().onFailure().recoverWithItem(e -> {
            LOG.warnf("clearing unanswered auto top-ups failed, the next round retries: %s", e.toString());
            return 0;
        }).replaceWithVoid();
    }

    /** One round: clears up to a batch of top-ups in flight past the timeout; how many it cleared. */
    public Uni<Integer> clearUnanswered() {
        Instant now = clock.instant();
        Instant cutoff = now.minus(timeout);
        return pool.withTransaction(tx -> repository.inFlightSince(tx, cutoff, BATCH).flatMap(accounts -> accounts.isEmpty()
                ? Uni.createFrom().item(0)
                : ledgers.lockUnlocked(tx, accounts).flatMap(locked -> locked.isEmpty() ? Uni.createFrom().item(0)
                        : repository.stored(tx, locked.keySet()).flatMap(rows -> clear(tx, rows, cutoff, now)))));
    }

    private Uni<Integer> clear(SqlConnection tx, List<AutoTopupRepository.Stored> rows, Instant cutoff, Instant now) {
        List<AutoTopup> changed = new ArrayList<>();
        List<OutgoingEvent<?>> out = new ArrayList<>();
        for (AutoTopupRepository.Stored s : rows) {
            AutoTopup t = s.autoTopup();
            if (t.inFlight() == null || s.inFlightSince() == null || s.inFlightSince().isAfter(cutoff)) {
                continue; // answered, or asked again, meanwhile
            }
            AutoTopup.Failure f = t.timedOut(t.inFlight());
            changed.add(f.after());
            out.add(OutgoingEvent.forAccount(Events.AUTO_TOPUP_TIMED_OUT, t.accountId(), new AutoTopupTimedOut(t.inFlight(), t.accountId(),
                    t.packCode(), t.packPriceMinor(), t.currency(), s.inFlightSince(), f.after().failuresInRow(), now), now));
            if (f.switchedOff()) {
                out.add(OutgoingEvent.forAccount(Events.AUTO_TOPUP_DISABLED, t.accountId(),
                        new AutoTopupDisabled(t.accountId(), AutoTopup.PAYMENT_FAILURES, f.after().failuresInRow(), now), now));
            }
        }
        if (changed.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return repository.save(tx, changed, now).flatMap(x -> outbox.addAll(Tx.of(tx), out)).replaceWith(changed.size());
    }
}
