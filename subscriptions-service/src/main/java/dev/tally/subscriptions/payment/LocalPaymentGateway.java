package dev.tally.subscriptions.payment;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import java.util.UUID;

/** The embedded sandbox: every payment (and refund) settles at once; the reference is derived from the idempotency key. */
@ApplicationScoped
@Typed(LocalPaymentGateway.class)
public class LocalPaymentGateway implements PaymentGateway {

    @Override
    public Uni<Settlement> charge(String accountId, long amountMinor, String currency, String description, String idempotencyKey) {
        return Uni.createFrom().item(new Settlement("local_" + UUID.nameUUIDFromBytes(idempotencyKey.getBytes()), true));
    }

    /** The sandbox refunds at once: what was refunded before plus this refund. */
    @Override
    public Uni<Refund> refund(io.vertx.mutiny.sqlclient.SqlClient db, RefundOrder order) {
        return Uni.createFrom().item(new Refund("local_refund_" + UUID.nameUUIDFromBytes(order.idempotencyKey().getBytes()),
                order.refundedBeforeMinor() + order.amountMinor()));
    }
}
