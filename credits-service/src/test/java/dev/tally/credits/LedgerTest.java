package dev.tally.credits;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static dev.tally.credits.LedgerCalls.account;
import static dev.tally.credits.LedgerCalls.awaitBalance;
import static dev.tally.credits.LedgerCalls.debit;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.contracts.EventType;
import dev.tally.contracts.Events;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.Overage;
import dev.tally.contracts.subscriptions.CreditTerms;
import dev.tally.contracts.subscriptions.SubscriptionEvent;
import dev.tally.contracts.subscriptions.SubscriptionState;
import dev.tally.testsupport.TallyInfraResource;
import dev.tally.testsupport.TestEvents;
import dev.tally.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "credits"))
class LedgerTest {
    private static final Instant START = Instant.now().minus(Duration.ofDays(3));

    @Inject
    ObjectMapper json;

    private String subscribed(String acc, long credits, long daily, Overage overage, long revision, EventType<SubscriptionEvent> type) throws Exception {
        var state = new SubscriptionState(UUID.nameUUIDFromBytes(acc.getBytes()), acc, "plus", 1, BillingInterval.MONTH,
                SubscriptionState.Status.ACTIVE, START, START.plus(Duration.ofDays(30)), false, null,
                new CreditTerms(credits, BillingInterval.MONTH, daily, overage), List.of(), 1, revision);
        return TestEvents.publish(type, acc, acc, json.writeValueAsString(new SubscriptionEvent(state, null)));
    }

    private void topup(String acc, UUID purchase, long credits, String eventId) throws Exception {
        LedgerCalls.topup(json, acc, purchase, credits, eventId);
    }

    @Test
    void aDebitSpendsDailyThenSubscriptionThenTopupAndSaysWhereEachCreditCameFrom() throws Exception {
        String acc = account();
        subscribed(acc, 100, 10, Overage.block(), 1, Events.SUBSCRIPTION_STARTED);
        topup(acc, UUID.randomUUID(), 50, UUID.randomUUID().toString());
        awaitBalance(acc, 160);
        debit(acc, 115, null).then().statusCode(201)
                .body("takenFrom.bucket", equalTo(List.of("DAILY", "SUBSCRIPTION", "TOPUP")))
                .body("takenFrom.credits", equalTo(List.of(10, 100, 5))).body("balance", equalTo(45));
    }

    @Test
    void onABlockPlanADebitBeyondTheBalanceIs402AndTakesNothing() throws Exception {
        String acc = account();
        topup(acc, UUID.randomUUID(), 20, UUID.randomUUID().toString());
        awaitBalance(acc, 20);
        debit(acc, 21, null).then().statusCode(402).contentType("application/problem+json").body("code", equalTo("insufficient_credits"));
        awaitBalance(acc, 20);
        given().header("Authorization", TestTokens.bearer(TestTokens.account(acc))).get("/accounts/{id}/credits/ledger", acc)
                .then().statusCode(200).body("size()", equalTo(1)).body("[0].kind", equalTo("GRANT"));
    }

    @Test
    void promoCreditsGivenByAnAdminAreSpentBeforeTopupsOnceEachAndNeverByTheAccountItself() throws Exception {
        String acc = account();
        topup(acc, UUID.randomUUID(), 50, UUID.randomUUID().toString());
        awaitBalance(acc, 50);
        String key = UUID.randomUUID().toString();
        String body = "{\"credits\":20,\"reason\":\"launch week\",\"expiresAt\":\"" + Instant.now().plus(Duration.ofHours(1)) + "\"}";
        for (int i = 0; i < 2; i++) {
            given().header("Authorization", TestTokens.bearer(TestTokens.admin())).header("Idempotency-Key", key)
                    .contentType(ContentType.JSON).body(body).post("/accounts/{id}/credits/grants", acc).then().statusCode(201);
        }
        awaitBalance(acc, 70);
        given().header("Authorization", TestTokens.bearer(TestTokens.admin())).contentType(ContentType.JSON)
                .body("{\"credits\":20,\"reason\":\"late\",\"expiresAt\":\"2020-01-01T00:00:00Z\"}")
                .post("/accounts/{id}/credits/grants", acc).then().statusCode(400).body("errors[0].field", equalTo("expiresAt"));
        given().header("Authorization", TestTokens.bearer(TestTokens.account(acc))).contentType(ContentType.JSON).body(body)
                .post("/accounts/{id}/credits/grants", acc).then().statusCode(403);
        debit(acc, 30, null).then().statusCode(201).body("takenFrom.bucket", equalTo(List.of("PROMO", "TOPUP")))
                .body("takenFrom.credits", equalTo(List.of(20, 10)));
        awaitBalance(acc, 40);
    }

    @Test
    void theSameIdempotencyKeyTwiceSpendsOnce() throws Exception {
        String acc = account();
        topup(acc, UUID.randomUUID(), 10, UUID.randomUUID().toString());
        awaitBalance(acc, 10);
        String key = UUID.randomUUID().toString();
        String first = debit(acc, 4, key).then().statusCode(201).extract().asString();
        String second = debit(acc, 4, key).then().statusCode(201).header("Idempotent-Replayed", "true").extract().asString();
        assertEquals(first, second);
        awaitBalance(acc, 6);
    }

    @Test
    void anIdempotencyKeyReusedForAnotherDebitIs422AndSpendsNothingMore() throws Exception {
        String acc = account();
        topup(acc, UUID.randomUUID(), 10, UUID.randomUUID().toString());
        awaitBalance(acc, 10);
        String key = UUID.randomUUID().toString();
        debit(acc, 4, key).then().statusCode(201);
        debit(acc, 5, key).then().statusCode(422).body("type", org.hamcrest.Matchers.endsWith("idempotency_key_reused"));
        debit(acc, 4, key).then().statusCode(201).header("Idempotent-Replayed", "true");
        awaitBalance(acc, 6);
    }

    @Test
    void aTopupDeliveredTwiceOrUnderTwoEventIdsGrantsOnce() throws Exception {
        String acc = account();
        UUID purchase = UUID.randomUUID();
        String eventId = UUID.randomUUID().toString();
        topup(acc, purchase, 25, eventId);
        topup(acc, purchase, 25, eventId);
        topup(acc, purchase, 25, UUID.randomUUID().toString());
        topup(acc, UUID.randomUUID(), 1, UUID.randomUUID().toString()); // a later, different purchase: proves the repeats were consumed
        awaitBalance(acc, 26);
    }

    @Test
    void aRenewalForfeitsExactlyWhatWasLeftAndGrantsTheNewPeriod() throws Exception {
        String acc = account();
        subscribed(acc, 100, 0, Overage.block(), 1, Events.SUBSCRIPTION_STARTED);
        awaitBalance(acc, 100);
        debit(acc, 30, null).then().statusCode(201);
        subscribed(acc, 100, 0, Overage.block(), 2, Events.SUBSCRIPTION_RENEWED);
        awaitBalance(acc, 100);
        given().header("Authorization", TestTokens.bearer(TestTokens.service())).get("/accounts/{id}/credits/ledger", acc)
                .then().body("kind", equalTo(List.of("GRANT", "FORFEIT", "DEBIT", "GRANT")))
                .body("amount", equalTo(List.of(100, -70, -30, 100)));
        subscribed(acc, 100, 0, Overage.block(), 1, Events.SUBSCRIPTION_STARTED); // stale revision: changes nothing
        topup(acc, UUID.randomUUID(), 1, UUID.randomUUID().toString());
        awaitBalance(acc, 101);
        var announced = pool.preparedQuery("SELECT type, payload->>'credits' FROM outbox_event WHERE subject = $1 AND type LIKE 'credits.%' ORDER BY seq")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(acc)).await().atMost(Duration.ofSeconds(10));
        List<String> events = new java.util.ArrayList<>();
        announced.forEach(r -> events.add(r.getString(0) + ":" + r.getString(1)));
        assertEquals(List.of("credits.granted:100", "credits.forfeited:70", "credits.granted:100", "credits.granted:1"), events);
    }

    @Test
    void onABillPlanTheExcessIsRecordedAsOverage() throws Exception {
        String acc = account();
        subscribed(acc, 10, 0, new Overage(Overage.Mode.BILL, 100, 1000, "USD"), 1, Events.SUBSCRIPTION_STARTED);
        awaitBalance(acc, 10);
        debit(acc, 25, null).then().statusCode(201).body("overage", equalTo(15)).body("balance", equalTo(0));
    }

    @Test
    void aReversalGivesADebitsCreditsBackToTheirBucketsOnce() throws Exception {
        String acc = account();
        subscribed(acc, 100, 0, Overage.block(), 1, Events.SUBSCRIPTION_STARTED);
        topup(acc, UUID.randomUUID(), 50, UUID.randomUUID().toString());
        awaitBalance(acc, 150);
        String debitId = debit(acc, 120, "job-7").then().statusCode(201).extract().path("debitId");
        awaitBalance(acc, 30);
        given().header("Authorization", TestTokens.bearer(TestTokens.account(acc))).post("/accounts/{id}/credits/debits/{d}/reversal", acc, debitId)
                .then().statusCode(403);
        given().header("Authorization", TestTokens.bearer(TestTokens.service())).post("/accounts/{id}/credits/debits/{d}/reversal", acc, debitId)
                .then().statusCode(200).body("credits", equalTo(120));
        given().header("Authorization", TestTokens.bearer(TestTokens.service())).get("/accounts/{id}/credits", acc)
                .then().body("byBucket.SUBSCRIPTION", equalTo(100)).body("byBucket.TOPUP", equalTo(50));
        given().header("Authorization", TestTokens.bearer(TestTokens.service())).post("/accounts/{id}/credits/debits/{d}/reversal", acc, debitId)
                .then().statusCode(409).body("code", equalTo("already_reversed"));
        given().header("Authorization", TestTokens.bearer(TestTokens.admin())).get("/admin/ledger/check").then().body("holds", equalTo(true));
    }

    @Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    @Test
    void aDebitThatCrossesTheLowBalanceThresholdAnnouncesItOnce() throws Exception {
        String acc = account();
        topup(acc, UUID.randomUUID(), 100, UUID.randomUUID().toString());
        awaitBalance(acc, 100);
        debit(acc, 40, null).then().statusCode(201); // 60 left: above the threshold of 50
        debit(acc, 20, null).then().statusCode(201); // 40 left: crossed
        debit(acc, 5, null).then().statusCode(201);  // 35 left: already below, no new event
        long events = pool.preparedQuery("SELECT count(*) FROM outbox_event WHERE type = 'credits.low-balance' AND subject = $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(acc)).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
        assertEquals(1, events);
    }

    @Test
    void badDebitsAreProblemsNamingTheField() {
        String acc = account();
        given().header("Authorization", TestTokens.bearer(TestTokens.service())).contentType(ContentType.JSON)
                .body("{\"amount\":0,\"reason\":\"\"}").post("/accounts/{id}/credits/debits", acc)
                .then().statusCode(400).body("errors.field", org.hamcrest.Matchers.containsInAnyOrder("amount", "reason"));
        given().header("Authorization", TestTokens.bearer(TestTokens.account("someone-else"))).contentType(ContentType.JSON)
                .body("{\"amount\":1,\"reason\":\"x\"}").post("/accounts/{id}/credits/debits", acc)
                .then().statusCode(403);
    }
}
