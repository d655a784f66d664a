package dev.tally.subscriptions.stripe;

import com.stripe.param.SubscriptionCancelParams;
import dev.tally.backbone.clock.TallyClock;
import dev.tally.subscriptions.payment.PaymentGateways;
import dev.tally.subscriptions.service.PaymentStanding;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import java.util.ArrayList;
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
    private final Pool pool;
    private final TallyClock clock;
    private final boolean enabled;

    public PastDueGrace(StripeApi stripe, PaymentStanding standing, Pool pool, TallyClock clock,
                        @ConfigProperty(name = "tally.payments.provider", defaultValue = "local") String provider) {
        this.stripe = stripe;
        this.standing = standing;
        this.pool = pool;
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
        var now = clock.instant().atOffset(ZoneOffset.UTC);
        return pool.preparedQuery("SELECT account_id, subscription_id FROM stripe_subscription WHERE past_due_since IS NOT NULL "
                        + "AND status <> 'canceled' AND grace_ends_at <= $1 ORDER BY grace_ends_at LIMIT 100").execute(Tuple.of(now))
                .flatMap(rows -> {
                    List<String[]> due = new ArrayList<>();
                    rows.forEach(r -> due.add(new String[] {r.getString(0), r.getString(1)}));
                    return Multi.createFrom().iterable(due).onItem().transformToUniAndConcatenate(this::end).collect().asList().map(List::size);
                });
    }

    /** Ends one grace; the account (Mutiny drops null items, so the count needs a value). */
    private Uni<String> end(String[] accountAndSubscription) {
        String account = accountAndSubscription[0];
        String subscription = accountAndSubscription[1];
        return stripe.call("grace-" + subscription, (client, options) -> client.v1().subscriptions().cancel(subscription,
                        SubscriptionCancelParams.builder().build(), options))
                .flatMap(x -> pool.withTransaction(tx -> tx.preparedQuery("UPDATE stripe_subscription SET status = 'canceled' "
                                + "WHERE subscription_id = $1 AND status <> 'canceled'").execute(Tuple.of(subscription))
                        .flatMap(updated -> updated.rowCount() == 0 ? Uni.createFrom().voidItem() : standing.revertToFreeNow(tx, account))))
                .replaceWith(account);
    }
}
