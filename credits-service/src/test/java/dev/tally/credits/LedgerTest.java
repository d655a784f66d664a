package dev.tally.credits;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.contracts.EventType;
import dev.tally.contracts.Events;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.Overage;
import dev.tally.contracts.subscriptions.CreditTerms;
import dev.tally.contracts.subscriptions.SubscriptionEvent;
import dev.tally.contracts.subscriptions.SubscriptionState;
import dev.tally.contracts.subscriptions.TopupPurchased;
import dev.tally.testsupport.TallyInfraResource;
import dev.tally.testsupport.TestEvents;
import dev.tally.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
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
        TestEvents.publish(eventId, Events.TOPUP_PURCHASED, acc, acc,
                json.writeValueAsString(new TopupPurchased(purchase, acc, "pack-500", credits, 500, "USD", Instant.now())));
    }

    private static void awaitBalance(String acc, long expected) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().header("Authorization", TestTokens.bearer(TestTokens.service()))
                .get("/accounts/{id}/credits", acc).then().statusCode(200).body("available", equalTo((int) expected)));
    }

    private static Response debit(String acc, long amount, String key) {
        var request = given().header("Authorization", TestTokens.bearer(TestTokens.service())).contentType(ContentType.JSON)
                .body("{\"amount\":" + amount + ",\"reason\":\"render\"}");
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request.post("/accounts/{id}/credits/debits", acc);
    }

    private static String account() {
        return "acc-" + UUID.randomUUID();
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
    void hundredsOfConcurrentDebitsOnOneAccountNeverOverspend() throws Exception {
        String acc = account();
        int n = 150;
        int k = 30;
        topup(acc, UUID.randomUUID(), n, UUID.randomUUID().toString());
        awaitBalance(acc, n);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(40); // really concurrent, not the 1-thread common pool
        List<CompletableFuture<Integer>> calls = IntStream.range(0, n + k)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> debit(acc, 1, null).statusCode(), pool)).toList();
        List<Integer> statuses = calls.stream().map(CompletableFuture::join).toList();
        pool.shutdown();
        assertEquals(n, statuses.stream().filter(s -> s == 201).count());
        assertEquals(k, statuses.stream().filter(s -> s == 402).count());
        awaitBalance(acc, 0);
        given().header("Authorization", TestTokens.bearer(TestTokens.admin())).get("/admin/ledger/check")
                .then().statusCode(200).body("holds", equalTo(true));
    }

    @Test
    void concurrentDebitsOverManyAccountsSharingTransactionsSpendEachKeyOnce() throws Exception {
        List<String> accounts = IntStream.range(0, 20).mapToObj(i -> account()).toList();
        for (String acc : accounts) {
            topup(acc, UUID.randomUUID(), 100, UUID.randomUUID().toString());
        }
        accounts.forEach(acc -> awaitBalance(acc, 100));
        var pool = java.util.concurrent.Executors.newFixedThreadPool(48);
        record Call(String acc, String key, CompletableFuture<Response> response) {
        }
        List<Call> calls = new java.util.ArrayList<>();
        for (int round = 0; round < 10; round++) {
            for (String acc : accounts) {
                String key = UUID.randomUUID().toString();
                for (int copy = 0; copy < 3; copy++) { // each key sent three times at once
                    calls.add(new Call(acc, key, CompletableFuture.supplyAsync(() -> debit(acc, 3, key), pool)));
                }
            }
        }
        var byKey = new java.util.HashMap<String, java.util.Set<String>>();
        for (Call c : calls) {
            Response r = c.response().join();
            assertEquals(201, r.statusCode(), r.asString());
            byKey.computeIfAbsent(c.key(), k -> new java.util.HashSet<>()).add(r.asString());
        }
        pool.shutdown();
        byKey.forEach((key, bodies) -> assertEquals(1, bodies.size(), "every copy of " + key + " got the same answer"));
        accounts.forEach(acc -> awaitBalance(acc, 100 - 10 * 3));
        given().header("Authorization", TestTokens.bearer(TestTokens.admin())).get("/admin/ledger/check")
                .then().statusCode(200).body("holds", equalTo(true));
    }

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.datasource.username")
    String dbUser;
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.datasource.password")
    java.util.Optional<String> dbPassword;

    private void sql(String statement) throws Exception {
        try (var c = java.sql.DriverManager.getConnection(jdbcUrl, dbUser, dbPassword.orElse(""))) {
            c.createStatement().execute(statement);
        }
    }

    @Test
    void aDebitTheDatabaseRefusesFailsAloneAndItsSharedTransactionsNeighboursAreSpentOnce() throws Exception {
        List<String> accounts = IntStream.range(0, 8).mapToObj(i -> account()).toList();
        for (String acc : accounts) {
            topup(acc, UUID.randomUUID(), 100, UUID.randomUUID().toString());
        }
        accounts.forEach(acc -> awaitBalance(acc, 100));
        sql("CREATE OR REPLACE FUNCTION refuse_marked_debit() RETURNS trigger AS $$ BEGIN "
                + "IF NEW.reason = 'refused by the test' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql");
        sql("CREATE TRIGGER refuse_marked_debit BEFORE INSERT ON ledger_entry FOR EACH ROW EXECUTE FUNCTION refuse_marked_debit()");
        try {
            var pool = java.util.concurrent.Executors.newFixedThreadPool(32);
            List<CompletableFuture<Integer>> good = new java.util.ArrayList<>();
            List<CompletableFuture<Integer>> refused = new java.util.ArrayList<>();
            for (int round = 0; round < 8; round++) {
                for (String acc : accounts) {
                    good.add(CompletableFuture.supplyAsync(() -> debit(acc, 2, UUID.randomUUID().toString()).statusCode(), pool));
                }
                String acc = accounts.get(round);
                refused.add(CompletableFuture.supplyAsync(() -> given().header("Authorization", TestTokens.bearer(TestTokens.service()))
                        .header("Idempotency-Key", UUID.randomUUID().toString()).contentType(ContentType.JSON)
                        .body("{\"amount\":5,\"reason\":\"refused by the test\"}").post("/accounts/{id}/credits/debits", acc).statusCode(), pool));
            }
            good.forEach(f -> assertEquals(201, f.join()));
            refused.forEach(f -> assertEquals(500, f.join()));
            pool.shutdown();
        } finally {
            sql("DROP TRIGGER refuse_marked_debit ON ledger_entry");
        }
        accounts.forEach(acc -> awaitBalance(acc, 100 - 8 * 2)); // every good debit once, nothing of the refused ones
        for (String acc : accounts) { // no connection was handed back inside a failed transaction
            debit(acc, 1, null).then().statusCode(201);
        }
        given().header("Authorization", TestTokens.bearer(TestTokens.admin())).get("/admin/ledger/check")
                .then().statusCode(200).body("holds", equalTo(true));
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
        var announced = pool.preparedQuery("SELECT type, payload->>'credits' FROM outbox_event WHERE subject = $1 ORDER BY seq")
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
