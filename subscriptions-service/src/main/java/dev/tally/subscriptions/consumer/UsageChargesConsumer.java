package dev.tally.subscriptions.consumer;

import dev.tally.backbone.inbox.Inbox;
import dev.tally.contracts.Events;
import dev.tally.contracts.credits.UsageClosed;
import dev.tally.subscriptions.payment.PaymentGateway;
import dev.tally.subscriptions.service.ArrearsBilling;
import dev.tally.subscriptions.service.AutoTopupPurchases;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Bills closed overage: a {@code usage.closed} from credits-service becomes a charge line for its
 * period (billed at cycle end, also after a cancel), once, with the gateway's payment reference. A
 * period billed in arrears takes it onto its invoice instead, collected with it on the billing date.
 * A {@code credits.auto-topup-requested} is recorded once, to be paid by {@link AutoTopupPurchases}.
 */
@ApplicationScoped
public class UsageChargesConsumer {
    private final Inbox inbox;
    private final PaymentGateway payments;
    private final ArrearsBilling arrears;
    private final AutoTopupPurchases autoTopups;

    public UsageChargesConsumer(Inbox inbox, PaymentGateway payments, ArrearsBilling arrears, AutoTopupPurchases autoTopups) {
        this.inbox = inbox;
        this.autoTopups = autoTopups;
        this.payments = payments;
        this.arrears = arrears;
    }

    @Incoming("credits")
    public Uni<Void> consume(Message<String> message) {
        // one record per transaction (not a batch): with Stripe, billing usage is an API call, and a
        // poll of them in one transaction would hold it open for as many calls
        return inbox.consume("subscriptions-service", message, t -> t.equals(Events.USAGE_CLOSED) || t.equals(Events.AUTO_TOPUP_REQUESTED),
                (tx, event) -> event.is(Events.AUTO_TOPUP_REQUESTED) ? autoTopups.requested(tx, event.payload(Events.AUTO_TOPUP_REQUESTED))
                        : charge(tx, event.payload(Events.USAGE_CLOSED)));
    }

    private Uni<Void> charge(SqlConnection tx, UsageClosed usage) {
        return arrears.addUsage(tx, usage).flatMap(onInvoice -> onInvoice || usage.amountMinor() == 0 ? Uni.createFrom().voidItem()
                : billNow(tx, usage));
    }

    private Uni<Void> billNow(SqlConnection tx, UsageClosed usage) {
        String description = "overage: " + usage.overageCredits() + " credits";
        // billed first, so the line carries its payment reference; a retry reuses the idempotency key and gets the same answer
        return payments.usageBilled(tx, usage.accountId(), usage.amountMinor(), usage.currency(), description,
                        "usage:" + usage.subscriptionId() + ":" + usage.periodEnd())
                .flatMap(reference -> tx.preparedQuery("INSERT INTO charge (account_id, subscription_id, kind, description, period_start, "
                                + "period_end, amount_minor, currency, created_at, payment_ref) VALUES ($1, $2, 'OVERAGE', $3, $4, $5, $6, $7, $8, $9)")
                        .execute(Tuple.from(Arrays.asList(usage.accountId(), usage.subscriptionId(), description, at(usage.periodStart()),
                                at(usage.periodEnd()), usage.amountMinor(), usage.currency(), at(usage.closedAt()), reference))))
                .replaceWithVoid();
    }

    private static java.time.OffsetDateTime at(java.time.Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }
}
