package dev.tally.subscriptions.service;

import dev.tally.backbone.catalog.Catalog;
import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.outbox.Outbox;
import dev.tally.backbone.outbox.OutgoingEvent;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.backbone.tx.Transactions;
import dev.tally.backbone.tx.Tx;
import dev.tally.contracts.Events;
import dev.tally.contracts.credits.AutoTopupRequested;
import dev.tally.contracts.plans.CreditPackSnapshot;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.contracts.subscriptions.AutoTopupPaymentFailed;
import dev.tally.subscriptions.notify.Notifications;
import dev.tally.subscriptions.payment.PaymentGateway;
import dev.tally.subscriptions.repository.AutoTopupPayments;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Auto top-ups credits-service asks for, bought through the payment gateway before anything is
 * granted. Three steps, each safe to repeat after a crash: (1) the request is recorded PENDING in the
 * Inbox's transaction (once per request id); (2) a due one is claimed (its next attempt pushed
 * {@code tally.auto-topup.retry-every} ahead, so a crash or a second replica retries it later) and
 * paid off-session outside any transaction with the key {@code auto-topup:<requestId>}, so a retry
 * never charges twice; (3) one short transaction records the outcome if it is still PENDING: settled,
 * the existing top-up purchase (id = request id: {@code topup.purchased}, which credits-service grants
 * once); refused (402), {@code auto-topup.payment-failed} and an email; no answer (unreachable, still
 * processing, or no answer within {@code tally.auto-topup.call-timeout}, 25 s: shorter than the 30 s
 * between attempts, so one attempt has ended before the next claims it) is tried again until
 * {@code tally.auto-topup.give-up-after} from the request, then failed as {@code payment_unanswered}.
 */
@ApplicationScoped
public class AutoTopupPurchases {
    private static final Logger LOG = Logger.getLogger(AutoTopupPurchases.class);
    private final Transactions transactions;
    private final AutoTopupPayments requests;
    private final Catalog catalog;
    private final PaymentGateway payments;
    private final PurchaseService purchases;
    private final Outbox outbox;
    private final Notifications notifications;
    private final TallyClock clock;
    private final Duration retryEvery;
    private final Duration giveUpAfter;
    private final Duration callTimeout;

    public AutoTopupPurchases(Transactions transactions, AutoTopupPayments requests, Catalog catalog, PaymentGateway payments, PurchaseService purchases, Outbox outbox,
                              Notifications notifications, TallyClock clock,
                              @ConfigProperty(name = "tally.auto-topup.retry-every", defaultValue = "30s") Duration retryEvery,
                              @ConfigProperty(name = "tally.auto-topup.give-up-after", defaultValue = "1h") Duration giveUpAfter,
                              @ConfigProperty(name = "tally.auto-topup.call-timeout", defaultValue = "25s") Duration callTimeout) {
        this.transactions = transactions;
        this.requests = requests;
        this.catalog = catalog;
        this.payments = payments;
        this.purchases = purchases;
        this.outbox = outbox;
        this.notifications = notifications;
        this.clock = clock;
        this.retryEvery = retryEvery;
        this.giveUpAfter = giveUpAfter;
        this.callTimeout = callTimeout;
    }

    /** Step 1, in the Inbox's transaction: the request, PENDING and due now (a repeat of it changes nothing). */
    public Uni<Void> requested(Tx tx, AutoTopupRequested r) {
        OffsetDateTime now = at(clock.instant());
        return tx.update("INSERT INTO auto_topup_payment (request_id, account_id, pack_code, status, next_attempt_at, requested_at) "
                + "VALUES ($1, $2, $3, 'PENDING', $4, $4) ON CONFLICT (request_id) DO NOTHING", r.requestId(), r.accountId(), r.packCode(), now)
                .replaceWithVoid();
    }

    @Scheduled(every = "${tally.auto-topup.check-every:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> check() {
        return payDue().replaceWithVoid().onFailure().recoverWithItem(e -> {
            LOG.warnf("auto top-up payments failed, will retry: %s", e.toString());
            return null;
        });
    }

    private record Pending(UUID requestId, String accountId, String packCode, Instant requestedAt) {
    }

    /** Steps 2 and 3 for every request due; how many were attempted. */
    public Uni<Integer> payDue() {
        Instant now = clock.instant();
        return transactions.inSession(tx -> requests.claimDue(now, now.plus(retryEvery), 50).map(claimed -> claimed.stream()
                        .map(c -> new Pending(c.requestId, c.accountId, c.packCode, c.requestedAt)).toList()))
                .flatMap(due -> Multi.createFrom().iterable(due).onItem().transformToUniAndConcatenate(this::pay).collect().asList()
                        .map(List::size));
    }

    private Uni<Boolean> pay(Pending p) {
        return catalog.creditPack(p.packCode()).flatMap(found -> {
            CreditPackSnapshot pack = found.filter(x -> x.status() == PlanSnapshot.PlanStatus.PUBLISHED).orElse(null);
            if (pack == null) {
                return failed(p, null, "credit_pack_not_found", "The pack " + p.packCode() + " is no longer sold.");
            }
            return payments.chargeSaved(p.accountId(), pack.amountMinor(), pack.currency(), "auto top-up: credit pack " + pack.code(),
                            "auto-topup:" + p.requestId())
                    .ifNoItem().after(callTimeout).failWith(() -> new ProblemException(503, "payment_unanswered", "The gateway did not answer."))
                    .flatMap(s -> s != null && s.settled() ? settled(p, pack, s.reference())
                            : failed(p, pack, "payment_not_settled", "The payment did not settle."))
                    .onFailure(ProblemException.class).recoverWithUni(e -> {
                        var problem = ((ProblemException) e).problem();
                        return problem.status() == 402 ? failed(p, pack, problem.code(), problem.detail()) : unanswered(p, pack, problem.detail());
                    })
                    .onFailure(e -> !(e instanceof ProblemException)).recoverWithUni(e -> unanswered(p, pack, e.toString()));
        });
    }

    /** No answer: left PENDING for the next attempt (already scheduled by the claim), or failed once it is too late. */
    private Uni<Boolean> unanswered(Pending p, CreditPackSnapshot pack, String detail) {
        if (clock.instant().isBefore(p.requestedAt().plus(giveUpAfter))) {
            LOG.infof("auto top-up %s of %s: no answer (%s), retried in %s", p.requestId(), p.accountId(), detail, retryEvery);
            return Uni.createFrom().item(false);
        }
        return failed(p, pack, "payment_unanswered", "The payment gateway did not answer within " + giveUpAfter + ": " + detail);
    }

    private Uni<Boolean> settled(Pending p, CreditPackSnapshot pack, String reference) {
        return transactions.inSession(tx -> requests.finish(p.requestId(), "SETTLED", reference, null, clock.instant()).flatMap(mine -> !mine ? Uni.createFrom().item(false)
                : purchases.recordTopup(tx, p.requestId(), p.accountId(), pack, reference).replaceWith(true)));
    }

    private Uni<Boolean> failed(Pending p, CreditPackSnapshot pack, String code, String detail) {
        var failure = new AutoTopupPaymentFailed(p.requestId(), p.accountId(), p.packCode(), pack == null ? 0 : pack.amountMinor(),
                pack == null ? null : pack.currency(), code, detail, clock.instant());
        return transactions.inSession(tx -> requests.finish(p.requestId(), "FAILED", null, code, clock.instant()).flatMap(mine -> !mine ? Uni.createFrom().item(false)
                : outbox.add(tx, OutgoingEvent.forAccount(Events.AUTO_TOPUP_PAYMENT_FAILED, p.accountId(), failure, failure.at()))
                        .flatMap(x -> notifications.autoTopupFailed(tx, failure)).replaceWith(true)));
    }

    private static OffsetDateTime at(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }
}
