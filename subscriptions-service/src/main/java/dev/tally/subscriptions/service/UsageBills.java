package dev.tally.subscriptions.service;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.backbone.tx.Transactions;
import dev.tally.backbone.tx.Tx;
import dev.tally.contracts.credits.UsageClosed;
import dev.tally.subscriptions.charges.Charge;
import dev.tally.subscriptions.charges.ChargeRepository;
import dev.tally.subscriptions.charges.UsageBill;
import dev.tally.subscriptions.charges.UsageBillRepository;
import dev.tally.subscriptions.payment.PaymentGateway;
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
 * Closed overage of a plan billed in advance, billed at once in three steps, none of which calls the
 * gateway with a transaction open (with Stripe, billing usage is an API call on a worker thread):
 * (1) decided in the {@code usage.closed} event's transaction: the period's invoice in arrears takes
 * it, or it is recorded PENDING under the gateway key {@code usage:<subscription>:<period end>} (a
 * repeat of the event, under any id, records nothing more); (2) paid with that key and no
 * transaction open, right after the event's transaction commits; (3) one short session transaction
 * marks it BILLED, if it is still PENDING, and writes its charge line (kind OVERAGE, with the
 * payment's reference). A process that dies between the steps leaves it PENDING: every
 * {@code tally.usage-bills.check-every} the due ones are claimed (their next attempt pushed
 * {@code tally.usage-bills.retry-every} ahead) and paid again with the same key, so the gateway
 * answers with the payment made before and the line is written once. A refusal (402) is FAILED
 * with its code and writes no line; no answer is tried again.
 */
@ApplicationScoped
public class UsageBills {
    private static final Logger LOG = Logger.getLogger(UsageBills.class);
    private final ArrearsBilling arrears;
    private final PaymentGateway payments;
    private final Transactions transactions;
    private final UsageBillRepository bills;
    private final ChargeRepository charges;
    private final TallyClock clock;
    private final Duration retryEvery;
    private final Duration callTimeout;

    public UsageBills(ArrearsBilling arrears, PaymentGateway payments, Transactions transactions, UsageBillRepository bills,
                      ChargeRepository charges, TallyClock clock,
                      @ConfigProperty(name = "tally.usage-bills.retry-every", defaultValue = "30s") Duration retryEvery,
                      @ConfigProperty(name = "tally.usage-bills.call-timeout", defaultValue = "25s") Duration callTimeout) {
        this.arrears = arrears;
        this.payments = payments;
        this.transactions = transactions;
        this.bills = bills;
        this.charges = charges;
        this.clock = clock;
        this.retryEvery = retryEvery;
        this.callTimeout = callTimeout;
    }

    /** What a PENDING bill asks the gateway for. */
    public record Due(String paymentKey, String accountId, UUID subscriptionId, String description, Instant periodStart,
                      Instant periodEnd, long amountMinor, String currency, Instant closedAt) {
        static Due of(UsageBill b) {
            return new Due(b.paymentKey, b.accountId, b.subscriptionId, b.description, b.periodStart, b.periodEnd, b.amountMinor,
                    b.currency, b.closedAt);
        }
    }

    /** The gateway's idempotency key of a period's overage. */
    public static String key(UsageClosed usage) {
        return "usage:" + usage.subscriptionId() + ":" + usage.periodEnd();
    }

    /**
     * Step 1, in the event's (connection) transaction: the usage joins its invoice in arrears, or is
     * recorded PENDING; the bill to pay now, or null (invoiced, nothing to bill, or recorded before).
     */
    public Uni<Due> closed(Tx tx, UsageClosed usage) {
        return arrears.addUsage(tx, usage).flatMap(onInvoice -> {
            if (onInvoice || usage.amountMinor() == 0) {
                return Uni.createFrom().<Due>nullItem();
            }
            var due = new Due(key(usage), usage.accountId(), usage.subscriptionId(), "overage: " + usage.overageCredits() + " credits",
                    usage.periodStart(), usage.periodEnd(), usage.amountMinor(), usage.currency(), usage.closedAt());
            return tx.update("INSERT INTO usage_bill (payment_key, account_id, subscription_id, description, period_start, period_end, "
                            + "amount_minor, currency, closed_at, status, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'PENDING', $10) "
                            + "ON CONFLICT (payment_key) DO NOTHING", due.paymentKey(), due.accountId(), due.subscriptionId(), due.description(),
                    at(due.periodStart()), at(due.periodEnd()), due.amountMinor(), due.currency(), at(due.closedAt()),
                    at(clock.instant().plus(retryEvery))).map(inserted -> inserted == 1 ? due : null);
        });
    }

    @Scheduled(every = "${tally.usage-bills.check-every:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> check() {
        return payDue().replaceWithVoid().onFailure().recoverWithItem(e -> {
            LOG.warnf("usage bills failed, will retry: %s", e.toString());
            return null;
        });
    }

    /** Steps 2 and 3 for every PENDING bill due (left by a process that died, or unanswered before); how many were attempted. */
    public Uni<Integer> payDue() {
        Instant now = clock.instant();
        return transactions.inSession(tx -> bills.claimDue(now, now.plus(retryEvery), 50).map(due -> due.stream().map(Due::of).toList()))
                .flatMap(due -> Multi.createFrom().iterable(due).onItem().transformToUniAndConcatenate(this::pay).collect().asList()
                        .map(List::size));
    }

    /** Steps 2 and 3: paid with no transaction open, then BILLED with its line; true when this call wrote the line. */
    public Uni<Boolean> pay(Due due) {
        return Uni.createFrom().deferred(() -> payments.usageBilled(due.accountId(), due.amountMinor(), due.currency(), due.description(),
                        due.paymentKey()))
                .ifNoItem().after(callTimeout).failWith(() -> new ProblemException(503, "payment_unanswered", "The gateway did not answer."))
                .flatMap(reference -> billed(due, reference))
                .onFailure(e -> e instanceof ProblemException p && p.problem().status() == 402)
                .recoverWithUni(e -> refused(due, ((ProblemException) e).problem().code()))
                .onFailure().recoverWithItem(e -> {
                    LOG.infof("usage bill %s of %s: no answer (%s), retried in %s", due.paymentKey(), due.accountId(), e, retryEvery);
                    return false;
                });
    }

    /** Step 3: BILLED and its charge line, once (the reference is null when the gateway had nothing to bill it to). */
    public Uni<Boolean> billed(Due due, String reference) {
        return transactions.inSession(tx -> bills.finish(due.paymentKey(), "BILLED", reference, null, clock.instant()).flatMap(mine -> {
            if (!mine) {
                return Uni.createFrom().item(false);
            }
            var line = new Charge();
            line.accountId = due.accountId();
            line.subscriptionId = due.subscriptionId();
            line.kind = "OVERAGE";
            line.description = due.description();
            line.periodStart = due.periodStart();
            line.periodEnd = due.periodEnd();
            line.amountMinor = due.amountMinor();
            line.currency = due.currency();
            line.createdAt = due.closedAt() != null ? due.closedAt() : clock.instant();
            line.paymentRef = reference;
            return charges.persist(line).replaceWith(true);
        }));
    }

    private Uni<Boolean> refused(Due due, String code) {
        LOG.warnf("usage bill %s of %s refused by the gateway (%s): not charged", due.paymentKey(), due.accountId(), code);
        return transactions.inSession(tx -> bills.finish(due.paymentKey(), "FAILED", null, code, clock.instant())).replaceWith(false);
    }

    private static OffsetDateTime at(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }
}
