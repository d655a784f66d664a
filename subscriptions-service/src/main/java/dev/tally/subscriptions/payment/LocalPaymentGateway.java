package dev.tally.subscriptions.payment;

import dev.tally.backbone.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The embedded sandbox: every payment (and refund) settles at once; the reference is derived from the idempotency
 * key. For tests and demos, the payments of accounts whose id matches {@code tally.payments.local.declines}
 * (a regular expression, unset by default: nothing is declined) are declined as a card would be
 * (402 {@code card_declined}).
 */
@ApplicationScoped
@Typed(LocalPaymentGateway.class)
public class LocalPaymentGateway implements PaymentGateway {
    private final Optional<Pattern> declines;

    public LocalPaymentGateway(@ConfigProperty(name = "tally.payments.local.declines") Optional<String> declines) {
        this.declines = declines.filter(d -> !d.isBlank()).map(Pattern::compile);
    }

    @Override
    public Uni<Settlement> charge(String accountId, long amountMinor, String currency, String description, String idempotencyKey) {
        if (declines.isPresent() && declines.get().matcher(accountId).matches()) {
            return Uni.createFrom().failure(new ProblemException(402, "card_declined",
                    "The card was declined (the local sandbox declines account " + accountId + ")."));
        }
        return Uni.createFrom().item(new Settlement("local_" + UUID.nameUUIDFromBytes(idempotencyKey.getBytes()), true));
    }

    /** The sandbox refunds at once: what was refunded before plus this refund. */
    @Override
    public Uni<Refund> refund(RefundOrder order) {
        return Uni.createFrom().item(new Refund("local_refund_" + UUID.nameUUIDFromBytes(order.idempotencyKey().getBytes()),
                order.refundedBeforeMinor() + order.amountMinor()));
    }
}
