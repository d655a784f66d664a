package dev.tally.subscriptions.stripe;

import com.stripe.param.SubscriptionCancelParams;
import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.tx.Transactions;
import dev.tally.subscriptions.payment.PaymentGateways;
import dev.tally.subscriptions.service.PaymentStanding;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * When a past-due subscription's grace ends ({@code grace_ends_at}, fixed when the payment first
 * failed: then + {@code tally.stripe.past-due-grace}), Stripe stops billing it (the subscription is
 * cancelled there, with the same idempotency key on every retry) and the account reverts to the free
 * plan, with an email. A timer per service: every {@code tally.stripe.grace-check-every} (1 s) the
 * due instants are compared with the service clock ({@link TallyClock}, so a moved or frozen clock
 * is honoured), and the revert lands within that second of the instant. Replicas may both find a
 * grace due: only the one whose update marks the link cancelled reverts it.
 */
@ApplicationScoped
public class PastDueGrace {
    private static final Logger LOG = Logger.getLogger(PastDueGrace.class);
    private final StripeApi stripe;
    private final PaymentStanding standing;
    private final StripeLinks links;
    private final Transactions transactions;
    private final TallyClock clock;
    private final boolean enabled;

    public PastDueGrace(StripeApi stripe, PaymentStanding standing, StripeLinks links, Transactions transactions, TallyClock clock,
                        @ConfigProperty(name = "tally.payments.provider", defaultValue = "local") String provider) {
        this.stripe = stripe;
        this.standing = standing;
        this.links = links;
        this.transactions = transactions;
        this.clock = clock;
        this.enabled = PaymentGateways.stripe(provider);
    }

    @Scheduled(every = "${tally.stripe.grace-check-every:60s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> check() {
        return enabled ? endExpiredGraces().replaceWithVoid().onFailure().recoverWithItem(e -> {
            LOG.warnf("past-due check failed, will retry: %s", e.toString());
            return null;
        }) : Uni.createFrom().voidItem();
    }

    /** Ends every grace that ran out; the number of accounts reverted. */
    public Uni<Integer> endExpiredGraces() {
        return links.gracesEnded(clock.instant())
                .flatMap(due -> Multi.createFrom().iterable(due).onItem().transformToUniAndConcatenate(this::end).collect().asList()
                        .map(List::size));
    }

    /** Ends one grace; the account (Mutiny drops null items, so the count needs a value). */
    private Uni<String> end(String[] accountAndSubscription) {
        String account = accountAndSubscription[0];
        String subscription = accountAndSubscription[1];
        return stripe.call("grace-" + subscription, (client, options) -> client.v1().subscriptions().cancel(subscription,
                        SubscriptionCancelParams.builder().build(), options))
                .flatMap(x -> transactions.onConnection(tx -> links.cancel(tx, subscription)
                        .flatMap(first -> first ? standing.revertToFreeNow(tx, account) : Uni.createFrom().voidItem())))
                .replaceWith(account);
    }
}
