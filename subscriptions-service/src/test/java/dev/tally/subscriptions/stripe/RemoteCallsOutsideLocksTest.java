package dev.tally.subscriptions.stripe;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import io.restassured.response.Response;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/**
 * No subscription row is locked while credits-service or Stripe is asked (issue 15, item 7): with the
 * neighbour made slow, another connection can lock the row ({@code FOR UPDATE NOWAIT}) and sees no
 * row-share lock on the table while the request waits for the answer; a change of the subscription
 * made meanwhile is caught when the row is locked (revision re-check); and a change Stripe made that
 * Tally did not get to apply (a crash in between) is applied once from Stripe's webhook. A period's
 * overage is billed at Stripe after the usage event's transaction (which locks the row) committed.
 */
@QuarkusTest
@TestProfile(StripeStub.class)
class RemoteCallsOutsideLocksTest extends StripeHarness {
    @Test
    void noRowLockIsHeldWhileCreditsServiceIsAskedForTheChangesCredits() throws Exception {
        String acc = subscribedThroughStripe("sub_lock_credits");
        STRIPE.stubFor(get(urlPathMatching("/accounts/.*/credits")).willReturn(okJson(
                "{\"accountId\":\"a\",\"available\":0,\"held\":0,\"byBucket\":{\"SUBSCRIPTION\":0}}").withFixedDelay(1500)));
        var change = async(() -> change(acc, "{\"planCode\":\"pro\",\"interval\":\"MONTH\",\"timing\":\"IMMEDIATE_PRORATED\"}"));
        List<String> held = locksWhileInside(getRequestedFor(urlPathMatching("/accounts/.*/credits")), acc);
        assertEquals(200, change.get().statusCode(), change.get().asString());
        assertEquals(List.of(), held, "the subscription row was locked while credits-service was asked");
    }

    @Test
    void noRowLockIsHeldWhileStripeIsCalled() throws Exception {
        String acc = subscribedThroughStripe("sub_lock_stripe");
        STRIPE.stubFor(post(urlPathEqualTo("/v1/subscriptions/sub_lock_stripe"))
                .willReturn(okJson(subscriptionJson("sub_lock_stripe", "active")).withFixedDelay(1500)));
        var change = async(() -> change(acc, "{\"planCode\":\"pro\",\"interval\":\"MONTH\",\"timing\":\"IMMEDIATE_PRORATED\"}"));
        List<String> held = locksWhileInside(postRequestedFor(urlPathEqualTo("/v1/subscriptions/sub_lock_stripe")), acc);
        assertEquals(200, change.get().statusCode(), change.get().asString());
        assertEquals(List.of(), held, "the subscription row was locked while Stripe was called");
        subscription(acc).then().body("planCode", Matchers.equalTo("pro"));
        STRIPE.verify(1, postRequestedFor(urlPathEqualTo("/v1/subscriptions/sub_lock_stripe")) // the change carries itself, for a crash
                .withRequestBody(containing("metadata[tally_timing]=IMMEDIATE_PRORATED"))
                .withRequestBody(containing("metadata[tally_revision]=" + revision(acc)))
                .withHeader("Idempotency-Key", equalTo("tally-change-subscription:" + subscriptionId(acc) + ":revision:" + revision(acc))));
    }

    @Test
    void aSubscriptionThatMovedWhileStripeAnsweredRefusesTheChangeWhenTheRowIsLocked() throws Exception {
        String acc = subscribedThroughStripe("sub_lock_moved");
        STRIPE.stubFor(post(urlPathEqualTo("/v1/subscriptions/sub_lock_moved"))
                .willReturn(okJson(subscriptionJson("sub_lock_moved", "active")).withFixedDelay(1500)));
        long revision = revision(acc);
        var change = async(() -> change(acc, "{\"planCode\":\"pro\",\"interval\":\"MONTH\",\"timing\":\"IMMEDIATE_PRORATED\"}"));
        await().atMost(Duration.ofSeconds(10)).until(() -> !STRIPE.findAll(postRequestedFor(urlPathEqualTo("/v1/subscriptions/sub_lock_moved"))).isEmpty());
        // meanwhile Stripe reports a failed payment: the subscription goes past due (a new revision)
        subscriptionEvent(acc, "sub_lock_moved", "past_due", Instant.now(), o -> { });
        Response answer = change.get();
        assertEquals(409, answer.statusCode(), answer.asString());
        assertEquals("subscription_changed", answer.jsonPath().getString("code"));
        subscription(acc).then().body("planCode", Matchers.equalTo("plus")).body("status", Matchers.equalTo("PAST_DUE"));
        assertEquals(revision + 1, revision(acc), "only the webhook's revision was written");
        assertEquals(0, count("SELECT count(*) FROM outbox_event WHERE subject = $1 AND type = 'subscription.plan-changed' "
                + "AND payload->'subscription'->>'planCode' = 'pro'", acc));
        assertEquals(0, count("SELECT count(*) FROM charge WHERE account_id = $1 AND description LIKE '%pro%'", acc));
    }

    @Test
    void aChangeStripeMadeThatTallyDidNotApplyIsAppliedOnceFromStripesWebhookAsItWasDecided() throws Exception {
        String acc = subscribedThroughStripe("sub_crashed");
        long revision = revision(acc);
        Instant quotedAt = Instant.now().minusSeconds(5).truncatedTo(ChronoUnit.MICROS);
        // what Tally sent Stripe before it stopped: the new price and its change in the metadata
        java.util.function.Consumer<ObjectNode> asTallyLeftIt = o -> {
            ((ObjectNode) o.path("items").path("data").path(0).path("price")).put("id", "price_pro_month");
            ((ObjectNode) o.path("metadata")).put("tally_plan", "pro").put("tally_interval", "MONTH").put("tally_timing", "IMMEDIATE")
                    .put("tally_quoted_at", quotedAt.toString()).put("tally_revision", Long.toString(revision + 1))
                    .put("tally_acted_by", "ops").put("tally_reason", "instant downgrade by support");
        };
        subscriptionEvent(acc, "sub_crashed", "active", Instant.now(), asTallyLeftIt);
        subscriptionEvent(acc, "sub_crashed", "active", Instant.now().plusSeconds(1), asTallyLeftIt); // Stripe sends it again
        var after = subscription(acc).then().body("planCode", Matchers.equalTo("pro")).extract().jsonPath();
        assertEquals(quotedAt, Instant.parse(after.getString("periodStart")), "IMMEDIATE: a new cycle from the instant it was quoted at");
        assertEquals(revision + 1, revision(acc));
        assertEquals(1, count("SELECT count(*) FROM outbox_event WHERE subject = $1 AND type = 'subscription.plan-changed' "
                + "AND payload->'subscription'->>'planCode' = 'pro' AND payload->'change'->>'timing' = 'IMMEDIATE' "
                + "AND payload->'change'->>'actedBy' = 'ops'", acc));
        assertEquals(1, count("SELECT count(*) FROM subscription_history WHERE account_id = $1 AND to_plan = 'pro' AND acted_by = 'ops' "
                + "AND reason = 'instant downgrade by support'", acc), "who made it and why come back with the change");
        assertTrue(count("SELECT count(*) FROM charge WHERE account_id = $1 AND payment_ref = 'sub_crashed' AND description LIKE '%pro%'", acc) > 0,
                "the charge Stripe made is recorded with its reference");
        assertEquals(0, STRIPE.findAll(postRequestedFor(urlPathEqualTo("/v1/subscriptions/sub_crashed"))).size(), "nothing is sent back to Stripe");
    }

    @Test
    void noRowLockIsHeldWhileStripeBillsAPeriodsOverage() throws Exception {
        String acc = subscribedThroughStripe("sub_lock_usage");
        STRIPE.stubFor(post(urlPathEqualTo("/v1/invoiceitems"))
                .willReturn(okJson("{\"id\":\"ii_lock_usage\",\"object\":\"invoiceitem\"}").withFixedDelay(1500)));
        Instant end = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        var usage = new dev.tally.contracts.credits.UsageClosed(UUID.fromString(subscriptionId(acc)), acc, end.minus(Duration.ofDays(30)), end,
                6500, 1500, 150, "USD", end);
        dev.tally.testsupport.TestEvents.publish(dev.tally.contracts.Events.USAGE_CLOSED, acc, acc, json.writeValueAsString(usage));
        List<String> held = locksWhileInside(postRequestedFor(urlPathEqualTo("/v1/invoiceitems")), acc);
        assertEquals(List.of(), held, "the subscription row was locked while Stripe billed the overage");
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT count(*) FROM charge WHERE account_id = $1 AND kind = 'OVERAGE' "
                + "AND payment_ref = 'ii_lock_usage'", acc) == 1);
        STRIPE.verify(1, postRequestedFor(urlPathEqualTo("/v1/invoiceitems"))
                .withHeader("Idempotency-Key", equalTo("tally-usage:" + usage.subscriptionId() + ":" + end)));
    }

    /**
     * Waits until the service is inside the remote call {@code inside}, then for a second tries to
     * lock the account's row from another connection and looks for row locks on the table; what it found.
     */
    private List<String> locksWhileInside(RequestPatternBuilder inside, String acc) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !STRIPE.findAll(inside).isEmpty());
        List<String> held = new ArrayList<>();
        long until = System.nanoTime() + Duration.ofMillis(1000).toNanos();
        while (System.nanoTime() < until) {
            try {
                pool.withTransaction(tx -> tx.preparedQuery("SELECT 1 FROM subscription WHERE account_id = $1 FOR UPDATE NOWAIT")
                        .execute(io.vertx.mutiny.sqlclient.Tuple.of(acc))).await().atMost(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                held.add("FOR UPDATE NOWAIT: " + e.getMessage());
            }
            long rowLocks = count("SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                    + "JOIN pg_stat_activity a ON a.pid = l.pid WHERE c.relname = 'subscription' AND l.mode = 'RowShareLock' "
                    + "AND a.datname = current_database() AND l.pid <> pg_backend_pid()");
            if (rowLocks > 0) {
                held.add(rowLocks + " row-share lock(s) on subscription");
            }
            sleep(100);
        }
        return held;
    }

    private String subscriptionId(String acc) {
        return pool.preparedQuery("SELECT id::text FROM subscription WHERE account_id = $1").execute(io.vertx.mutiny.sqlclient.Tuple.of(acc))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getString(0);
    }

    private long revision(String acc) {
        return count("SELECT revision FROM subscription WHERE account_id = $1", acc);
    }

    private static CompletableFuture<Response> async(java.util.function.Supplier<Response> call) {
        return CompletableFuture.supplyAsync(call);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
