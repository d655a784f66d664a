package dev.tally.credits;

import static dev.tally.credits.LedgerCalls.account;
import static dev.tally.credits.LedgerCalls.awaitBalance;
import static dev.tally.credits.LedgerCalls.debit;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.contracts.Events;
import dev.tally.contracts.plans.CreditPackSnapshot;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.contracts.subscriptions.AutoTopupPaymentFailed;
import dev.tally.contracts.subscriptions.TopupPurchased;
import dev.tally.testsupport.TallyInfraResource;
import dev.tally.testsupport.TestEvents;
import dev.tally.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Auto top-up in credits-service: its settings through the API, the request a crossing makes (once), and how its payment ends. */
@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "credits"))
class AutoTopupTest {
    static final String PACK = "auto-pack-500";
    @Inject
    ObjectMapper json;
    @Inject
    Pool pool;

    @BeforeEach
    void packForSale() throws Exception {
        packFor(json, pool);
    }

    /** {@link #PACK} for sale in the catalog read model. */
    void packFor(ObjectMapper json, Pool pool) throws Exception {
        this.pool = pool;
        var pack = new CreditPackSnapshot(PACK, "500 credits", 500, 900, "USD", null, PlanSnapshot.PlanStatus.PUBLISHED);
        TestEvents.publish(Events.CREDIT_PACK_PUBLISHED, "pack:" + PACK, "pack:" + PACK, json.writeValueAsString(pack));
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM catalog_credit_pack WHERE code = $1", PACK) == 1);
    }

    static RequestSpecification as(String token) {
        return given().header("Authorization", TestTokens.bearer(token)).contentType(ContentType.JSON);
    }

    static String settings(long threshold, String pack, long cap, Integer maxFailures) {
        return "{\"threshold\":" + threshold + ",\"packCode\":\"" + pack + "\",\"monthlyCapMinor\":" + cap + ",\"currency\":\"USD\""
                + (maxFailures == null ? "" : ",\"maxFailures\":" + maxFailures) + "}";
    }

    long count(String sql, Object... args) {
        return pool.preparedQuery(sql).execute(Tuple.from(args)).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }

    List<String> requests(String acc) {
        List<String> out = new ArrayList<>();
        pool.preparedQuery("SELECT payload->>'requestId' FROM outbox_event WHERE subject = $1 AND type = 'credits.auto-topup-requested' ORDER BY seq")
                .execute(Tuple.of(acc)).await().atMost(Duration.ofSeconds(10)).forEach(r -> out.add(r.getString(0)));
        return out;
    }

    void funded(String acc, long credits) throws Exception {
        LedgerCalls.topup(json, acc, UUID.randomUUID(), credits, UUID.randomUUID().toString());
        awaitBalance(acc, credits);
    }

    @Test
    void anAccountSetsReadsAndSwitchesOffItsOwnAutoTopUpButNotAnothers() {
        String acc = account();
        String own = TestTokens.account(acc);
        as(own).get("/accounts/{id}/credits/auto-topup", acc).then().statusCode(404).body("code", equalTo("auto_topup_not_set"));
        as(own).body(settings(100, PACK, 2_000, null)).put("/accounts/{id}/credits/auto-topup", acc).then().statusCode(200)
                .body("enabled", equalTo(true)).body("packCredits", equalTo(500)).body("packPriceMinor", equalTo(900))
                .body("maxFailures", equalTo(3)).body("inFlight", nullValue());
        as(TestTokens.account(account())).get("/accounts/{id}/credits/auto-topup", acc).then().statusCode(403).body("code", equalTo("account_mismatch"));
        as(own).delete("/accounts/{id}/credits/auto-topup", acc).then().statusCode(200).body("enabled", equalTo(false))
                .body("disabledReason", equalTo("switched_off"));
        as(TestTokens.admin()).get("/accounts/{id}/credits/auto-topup", acc).then().statusCode(200).body("enabled", equalTo(false));
    }

    @Test
    void badSettingsAreProblemsNamingTheFieldAndChangeNothing() {
        String acc = account();
        String svc = TestTokens.service();
        as(svc).body(settings(100, "no-such-pack", 2_000, null)).put("/accounts/{id}/credits/auto-topup", acc).then().statusCode(404)
                .body("code", equalTo("credit_pack_not_found")).body("errors[0].field", equalTo("packCode"));
        as(svc).body(settings(100, PACK, 899, null)).put("/accounts/{id}/credits/auto-topup", acc).then().statusCode(422)
                .body("code", equalTo("monthly_cap_below_pack_price")).body("errors[0].field", equalTo("monthlyCapMinor"));
        as(svc).body(settings(100, PACK, 2_000, null).replace("USD", "EUR")).put("/accounts/{id}/credits/auto-topup", acc).then().statusCode(422)
                .body("code", equalTo("currency_mismatch")).body("errors[0].field", equalTo("currency"));
        as(svc).body(settings(0, PACK, 2_000, null)).put("/accounts/{id}/credits/auto-topup", acc).then().statusCode(400)
                .body("errors[0].field", equalTo("threshold"));
        as(svc).body(settings(100, PACK, 2_000, 0)).put("/accounts/{id}/credits/auto-topup", acc).then().statusCode(400)
                .body("errors[0].field", equalTo("maxFailures"));
        as(svc).get("/accounts/{id}/credits/auto-topup", acc).then().statusCode(404);
    }

    @Test
    void manyConcurrentDebitsCrossingTheThresholdAskForExactlyOneTopUpAndItsSettlementGrantsItOnce() throws Exception {
        String acc = account();
        funded(acc, 200);
        as(TestTokens.service()).body(settings(150, PACK, 2_000, null)).put("/accounts/{id}/credits/auto-topup", acc).then().statusCode(200);
        var threads = java.util.concurrent.Executors.newFixedThreadPool(40);
        List<CompletableFuture<Integer>> calls = IntStream.range(0, 120)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> debit(acc, 1, null).statusCode(), threads)).toList();
        calls.forEach(c -> assertEquals(201, c.join()));
        threads.shutdown();
        List<String> asked = requests(acc);
        assertEquals(1, asked.size(), "one crossing, one request: " + asked);
        as(TestTokens.service()).get("/accounts/{id}/credits/auto-topup", acc).then().body("inFlight", equalTo(asked.get(0)))
                .body("spentThisMonthMinor", equalTo(900));
        UUID request = UUID.fromString(asked.get(0));
        String purchased = json.writeValueAsString(new TopupPurchased(request, acc, PACK, 500, 900, "USD", Instant.now()));
        String eventId = UUID.randomUUID().toString();
        TestEvents.publish(eventId, Events.TOPUP_PURCHASED, acc, acc, purchased);
        TestEvents.publish(UUID.randomUUID().toString(), Events.TOPUP_PURCHASED, acc, acc, purchased); // the same purchase again
        awaitBalance(acc, 80 + 500);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> as(TestTokens.service()).get("/accounts/{id}/credits/auto-topup", acc)
                .then().body("inFlight", nullValue()).body("failuresInRow", equalTo(0)));
        assertEquals(1, count("SELECT count(*) FROM ledger_entry WHERE account_id = $1 AND reference = $2", acc, "topup:" + request));
    }

    @Test
    void aCrossingWhileOneIsInFlightOrPastTheCapAsksForNothingAndTheCapIsSaid() throws Exception {
        String acc = account();
        funded(acc, 300);
        as(TestTokens.service()).body(settings(250, PACK, 1_000, null)).put("/accounts/{id}/credits/auto-topup", acc).then().statusCode(200);
        debit(acc, 60, null).then().statusCode(201); // 240: crossed, asked
        UUID first = UUID.fromString(requests(acc).get(0));
        LedgerCalls.topup(json, acc, UUID.randomUUID(), 100, UUID.randomUUID().toString()); // by hand: 340, above again
        awaitBalance(acc, 340);
        debit(acc, 100, null).then().statusCode(201); // 240: crossed again while the first is in flight
        assertEquals(1, requests(acc).size());
        failed(acc, first);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> as(TestTokens.service()).get("/accounts/{id}/credits/auto-topup", acc)
                .then().body("inFlight", nullValue()).body("failuresInRow", equalTo(1)).body("spentThisMonthMinor", equalTo(0)));
        LedgerCalls.topup(json, acc, UUID.randomUUID(), 100, UUID.randomUUID().toString());
        awaitBalance(acc, 340);
        debit(acc, 100, null).then().statusCode(201); // crossed: asked (900 of 1,000)
        UUID second = UUID.fromString(requests(acc).get(1));
        TestEvents.publish(Events.TOPUP_PURCHASED, acc, acc, json.writeValueAsString(new TopupPurchased(second, acc, PACK, 500, 900, "USD", Instant.now())));
        awaitBalance(acc, 740);
        debit(acc, 500, null).then().statusCode(201); // 240: crossed, but 900 + 900 > 1,000
        assertEquals(2, requests(acc).size());
        assertEquals(1, count("SELECT count(*) FROM outbox_event WHERE subject = $1 AND type = 'credits.auto-topup-skipped' "
                + "AND payload->>'reason' = 'monthly_cap' AND (payload->>'spentMinor')::bigint = 900", acc));
    }

    @Test
    void failedPaymentsInARowSwitchItOffAtMaxFailuresWithAnEvent() throws Exception {
        String acc = account();
        funded(acc, 200);
        as(TestTokens.service()).body(settings(150, PACK, 10_000, 2)).put("/accounts/{id}/credits/auto-topup", acc).then().statusCode(200);
        for (int i = 1; i <= 2; i++) {
            debit(acc, 60, null).then().statusCode(201); // below 150
            UUID request = UUID.fromString(requests(acc).get(i - 1));
            AutoTopupPaymentFailed f = failed(acc, request);
            failed(acc, f, UUID.randomUUID().toString()); // the same failure again, under another event id: counted once
            int expected = i;
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> as(TestTokens.service()).get("/accounts/{id}/credits/auto-topup", acc)
                    .then().body("inFlight", nullValue()).body("failuresInRow", equalTo(expected)));
            LedgerCalls.topup(json, acc, UUID.randomUUID(), 60, UUID.randomUUID().toString()); // back above 150
            awaitBalance(acc, 200);
        }
        as(TestTokens.service()).get("/accounts/{id}/credits/auto-topup", acc).then().body("enabled", equalTo(false))
                .body("disabledReason", equalTo("payment_failures"));
        assertEquals(1, count("SELECT count(*) FROM outbox_event WHERE subject = $1 AND type = 'credits.auto-topup-disabled' "
                + "AND (payload->>'failuresInRow')::int = 2", acc));
        debit(acc, 60, null).then().statusCode(201);
        assertEquals(2, requests(acc).size(), "off: a crossing asks for nothing");
    }

    private AutoTopupPaymentFailed failed(String acc, UUID request) throws Exception {
        var f = new AutoTopupPaymentFailed(request, acc, PACK, 900, "USD", "card_declined", "declined", Instant.now());
        failed(acc, f, UUID.randomUUID().toString());
        return f;
    }

    private void failed(String acc, AutoTopupPaymentFailed f, String eventId) throws Exception {
        TestEvents.publish(eventId, Events.AUTO_TOPUP_PAYMENT_FAILED, acc, acc, json.writeValueAsString(f));
    }
}
