package dev.tally.subscriptions;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.contracts.Events;
import dev.tally.contracts.credits.AutoTopupRequested;
import dev.tally.contracts.plans.CreditPackSnapshot;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.subscriptions.service.AutoTopupPurchases;
import dev.tally.testsupport.TestEvents;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Auto top-ups paid through the local sandbox: a request from credits-service is bought once (the
 * purchase named by the request, announced once however often the request arrives); a declined one
 * is announced as failed with an email; a crash after the claim leaves it to be paid again with the
 * same key, once.
 */
@QuarkusTest
@TestProfile(NeighboursStub.class)
class AutoTopupPurchasesTest {
    @Inject
    ObjectMapper json;
    @Inject
    Pool pool;
    @Inject
    AutoTopupPurchases purchases;

    @BeforeEach
    void pack() throws Exception {
        var pack = new CreditPackSnapshot("auto-pack-500", "500 credits", 500, 900, "USD", null, PlanSnapshot.PlanStatus.PUBLISHED);
        TestEvents.publish(Events.CREDIT_PACK_PUBLISHED, "pack:" + pack.code(), "pack:" + pack.code(), json.writeValueAsString(pack));
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM catalog_credit_pack WHERE code = $1", pack.code()) == 1);
    }

    long count(String sql, Object... args) {
        return pool.preparedQuery(sql).execute(Tuple.from(args)).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }

    String requested(String acc, UUID request) throws Exception {
        return TestEvents.publish(Events.AUTO_TOPUP_REQUESTED, acc, acc, json.writeValueAsString(
                new AutoTopupRequested(request, acc, "auto-pack-500", 500, 900, "USD", 40, 100, Instant.now())));
    }

    @Test
    void aRequestIsBoughtOnceAsThePurchaseItNamesHoweverOftenItArrives() throws Exception {
        String acc = "acc-" + UUID.randomUUID();
        UUID request = UUID.randomUUID();
        requested(acc, request);
        requested(acc, request); // the same request again, under another event id
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM outbox_event WHERE subject = $1 AND type = 'topup.purchased'", acc) == 1);
        assertEquals(1, count("SELECT count(*) FROM topup_purchase WHERE id = $1 AND account_id = $2 AND credits = 500", request, acc));
        assertEquals(1, count("SELECT count(*) FROM outbox_event WHERE subject = $1 AND type = 'topup.purchased' AND payload->>'purchaseId' = $2",
                acc, request.toString()));
        assertEquals(1, count("SELECT count(*) FROM charge WHERE account_id = $1 AND kind = 'TOPUP' AND amount_minor = 900", acc));
        assertEquals(1, count("SELECT count(*) FROM auto_topup_payment WHERE request_id = $1 AND status = 'SETTLED' AND payment_ref LIKE 'local_%'", request));
        Thread.sleep(1500); // the timer runs again: nothing more
        assertEquals(1, count("SELECT count(*) FROM outbox_event WHERE subject = $1 AND type = 'topup.purchased'", acc));
    }

    @Test
    void aDeclinedPaymentIsAnnouncedAsFailedWithAnEmailAndBuysNothing() throws Exception {
        String acc = "acc-declines-" + UUID.randomUUID();
        UUID request = UUID.randomUUID();
        requested(acc, request);
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM outbox_event WHERE subject = $1 "
                + "AND type = 'auto-topup.payment-failed' AND payload->>'code' = 'card_declined' AND payload->>'requestId' = $2", acc, request.toString()) == 1);
        assertEquals(0, count("SELECT count(*) FROM topup_purchase WHERE account_id = $1", acc));
        assertEquals(1, count("SELECT count(*) FROM notification WHERE account_id = $1 AND kind = 'auto-topup-failed'", acc));
        assertEquals(1, count("SELECT count(*) FROM auto_topup_payment WHERE request_id = $1 AND status = 'FAILED'", request));
    }

    @Test
    void aPaymentClaimedByAProcessThatDiedIsPaidAgainWithTheSameKeyOnce() {
        String acc = "acc-" + UUID.randomUUID();
        UUID request = UUID.randomUUID();
        // as a crash leaves it: claimed (attempted once), its next attempt due, no outcome recorded
        pool.preparedQuery("INSERT INTO auto_topup_payment (request_id, account_id, pack_code, status, attempts, next_attempt_at, requested_at) "
                + "VALUES ($1, $2, 'auto-pack-500', 'PENDING', 1, now() - interval '1 second', now() - interval '40 seconds')")
                .execute(Tuple.of(request, acc)).await().atMost(Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM topup_purchase WHERE id = $1", request) == 1);
        assertEquals(0, purchases.payDue().await().atMost(Duration.ofSeconds(10)), "nothing due any more");
        assertEquals(1, count("SELECT count(*) FROM outbox_event WHERE subject = $1 AND type = 'topup.purchased'", acc));
        assertEquals(2, count("SELECT attempts FROM auto_topup_payment WHERE request_id = $1", request));
        String key = "auto-topup:" + request; // the sandbox's reference is derived from the idempotency key
        assertEquals(1, count("SELECT count(*) FROM topup_purchase WHERE id = $1 AND payment_ref = $2", request,
                "local_" + UUID.nameUUIDFromBytes(key.getBytes())));
    }
}
