package dev.tally.subscriptions.persistence;

import dev.tally.backbone.tx.Transactions;
import dev.tally.subscriptions.NeighboursStub;
import dev.tally.subscriptions.repository.TopupPurchases;
import dev.tally.subscriptions.repository.TopupPurchases.Purchase;
import dev.tally.subscriptions.stripe.StripeLinks;
import dev.tally.subscriptions.stripe.StripeLinks.StripeSubscription;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.vertx.RunOnVertxContext;
import io.quarkus.test.vertx.UniAsserter;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Top-up purchases and Stripe links against the migrated database: what a transaction writes on one
 * kind of connection (a session's, or the webhook's pooled one) reads back the same through the
 * entities and through the other, whichever driver answers (timestamps, numbers).
 */
@QuarkusTest
@TestProfile(NeighboursStub.class)
class PaymentsRepositoriesTest {
    @Inject
    StripeLinks links;
    @Inject
    TopupPurchases topups;
    @Inject
    Transactions transactions;

    @Test
    @RunOnVertxContext
    void anAccountsStripeCustomerIsLinkedOnceAndTheFirstLinkWins(UniAsserter asserter) {
        String acc = "acc-" + UUID.randomUUID();
        String first = "cus_" + UUID.randomUUID();
        Instant at = Instant.parse("2026-03-01T10:00:00Z");
        asserter.assertEquals(() -> links.linkCustomer(acc, first, at), first);
        asserter.assertEquals(() -> links.linkCustomer(acc, "cus_" + UUID.randomUUID(), at.plusSeconds(1)), first);
        asserter.assertEquals(() -> links.customer(acc), Optional.of(first));
        asserter.assertEquals(() -> transactions.onConnection(tx -> links.accountOfCustomer(tx, first)), Optional.of(acc));
    }

    @Test
    @RunOnVertxContext
    void aSubscriptionLinkSavedByAWebhookReadsBackTheSameThroughTheEntityAndASession(UniAsserter asserter) {
        String acc = "acc-" + UUID.randomUUID();
        String id = "sub_" + UUID.randomUUID();
        Instant pastDue = Instant.parse("2026-03-02T08:30:15.123456Z");
        var saved = new StripeSubscription(acc, id, "si_1", "price_pro", "past_due", true, 1_767_000_000L, pastDue);
        asserter.execute(() -> transactions.onConnection(tx -> links.saveSubscription(tx, saved, pastDue)));
        asserter.assertEquals(() -> links.subscription(acc), Optional.of(saved));
        asserter.assertEquals(() -> transactions.inSession(tx -> links.lockSubscriptionById(tx, id)), Optional.of(saved));
        // the grace: due once its end has passed, and only until the link is cancelled
        asserter.execute(() -> transactions.onConnection(tx -> links.graceEndsAt(tx, id, pastDue.plusSeconds(60))));
        asserter.assertFalse(() -> links.gracesEnded(pastDue.plusSeconds(59)).map(due -> due.stream().anyMatch(d -> d[1].equals(id))));
        asserter.assertTrue(() -> links.gracesEnded(pastDue.plusSeconds(60)).map(due -> due.stream().anyMatch(d -> d[1].equals(id))));
        asserter.assertTrue(() -> transactions.onConnection(tx -> links.cancel(tx, id)));
        asserter.assertFalse(() -> transactions.onConnection(tx -> links.cancel(tx, id)));
        asserter.assertFalse(() -> links.gracesEnded(pastDue.plusSeconds(60)).map(due -> due.stream().anyMatch(d -> d[1].equals(id))));
    }

    @Test
    @RunOnVertxContext
    void aTopupRecordedInASessionIsFoundThroughItsEntityAndLockedOnAConnection(UniAsserter asserter) {
        String acc = "acc-" + UUID.randomUUID();
        var purchase = new Purchase(UUID.randomUUID(), acc, "pack-500", 500, 900, "USD", "pi_" + UUID.randomUUID(), 0, 0);
        asserter.execute(() -> transactions.inSession(tx -> topups.record(tx, purchase, Instant.parse("2026-03-01T10:00:00Z"))));
        asserter.assertEquals(() -> topups.ofAccount(acc, purchase.id()), Optional.of(purchase));
        asserter.assertEquals(() -> topups.ofAccount("acc-other", purchase.id()), Optional.empty());
        asserter.assertEquals(() -> transactions.onConnection(tx -> topups.lockByPayment(tx, purchase.paymentRef())), Optional.of(purchase));
        var refunded = new Purchase(purchase.id(), acc, "pack-500", 500, 900, "USD", purchase.paymentRef(), 300, 0);
        asserter.execute(() -> transactions.inSession(tx -> topups.moneyBack(tx, refunded, "TOPUP_REFUND", 300, "re_1", "asked", "admin",
                Instant.parse("2026-03-02T10:00:00Z"))));
        asserter.assertEquals(() -> transactions.inSession(tx -> topups.lock(tx, purchase.id())), Optional.of(refunded));
    }
}
