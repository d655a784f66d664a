package dev.tally.credits;

import static dev.tally.credits.LedgerCalls.account;
import static dev.tally.credits.LedgerCalls.awaitBalance;
import static dev.tally.credits.LedgerCalls.debit;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** Balance alerts against the real database and broker: set through the API, said once per crossing, recovered, on overage. */
@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "credits"))
class BalanceAlertEventsTest {
    @Inject
    ObjectMapper json;
    @Inject
    Pool pool;

    @Test
    void manyConcurrentDebitsCrossingAThresholdAtOnceSayItOnceAndATopupSaysItRecovered() throws Exception {
        String acc = account();
        LedgerCalls.topup(json, acc, UUID.randomUUID(), 1000, UUID.randomUUID().toString());
        awaitBalance(acc, 1000);
        String alertId = create(acc, "CREDITS", 500).then().statusCode(201).body("tripped", equalTo(false))
                .extract().path("alertId");
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<CompletableFuture<Integer>> debits = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                debits.add(CompletableFuture.supplyAsync(() -> debit(acc, 30, UUID.randomUUID().toString()).statusCode(), pool));
            }
            for (CompletableFuture<Integer> d : debits) {
                assertEquals(201, d.get());
            }
        } finally {
            pool.shutdown();
        }
        awaitBalance(acc, 400);
        List<String> low = said(acc, "credits.low-balance");
        assertEquals(1, low.size(), "one alert for twenty debits across it: " + low);
        assertEquals(alertId, low.get(0).split(":")[0]);
        debit(acc, 10, null).then().statusCode(201);
        assertEquals(1, said(acc, "credits.low-balance").size(), "already below: nothing more");
        alerts(acc).then().body("alerts[0].tripped", equalTo(true)).body("alerts.size()", equalTo(1));

        LedgerCalls.topup(json, acc, UUID.randomUUID(), 110, UUID.randomUUID().toString());
        awaitBalance(acc, 500);
        assertEquals(List.of(alertId + ":500:500"), said(acc, "credits.balance-recovered"));
        debit(acc, 1, null).then().statusCode(201);
        assertEquals(2, said(acc, "credits.low-balance").size(), "a second crossing is said again");
    }

    @Test
    void aPercentageOfThePeriodsGrantIsTheThresholdAndAReversalRecoversIt() throws Exception {
        String acc = account();
        subscribed(acc, 1000, Overage.block());
        awaitBalance(acc, 1000);
        create(acc, "PERCENT_OF_GRANT", 10).then().statusCode(201).body("thresholdCredits", equalTo(100));
        String debitId = debit(acc, 901, null).then().statusCode(201).extract().path("debitId");
        assertEquals(1, said(acc, "credits.low-balance").size());
        assertEquals("PERCENT_OF_GRANT", payload(acc, "credits.low-balance", "alertKind"));
        given().header("Authorization", TestTokens.bearer(TestTokens.service())).post("/accounts/{id}/credits/debits/{d}/reversal", acc, debitId)
                .then().statusCode(200);
        assertEquals(1, said(acc, "credits.balance-recovered").size());
        assertEquals(0, said(acc, "credits.low-balance").stream().filter(s -> s.startsWith("default")).count(), "its own alert replaces the default");
    }

    @Test
    void anOverageAlertSaysOnceWhenTheOpenOveragePassesItsAmount() throws Exception {
        String acc = account();
        subscribed(acc, 10, new Overage(Overage.Mode.BILL, 25, 10, "EUR"));
        awaitBalance(acc, 10);
        create(acc, "OVERAGE", 100).then().statusCode(201).body("tripped", equalTo(false));
        debit(acc, 60, null).then().statusCode(201); // 50 of overage
        debit(acc, 60, null).then().statusCode(201); // 110
        debit(acc, 60, null).then().statusCode(201); // 170
        assertEquals(1, said(acc, "credits.overage-alert").size());
        assertEquals("110", payload(acc, "credits.overage-alert", "overageCredits"));
    }

    @Test
    void alertsAreSetReadAndDeletedByTheAccountAndBadOnesChangeNothing() {
        String acc = account();
        alerts(acc).then().statusCode(200).body("alerts.kind", equalTo(List.of("DEFAULT"))).body("defaultThreshold", equalTo(50));
        String id = create(acc, "CREDITS", 200).then().statusCode(201).body("tripped", equalTo(true)).extract().path("alertId");
        alerts(acc).then().body("alerts.alertId", equalTo(List.of(id)));
        create(acc, "CREDITS", 200).then().statusCode(409).body("code", equalTo("alert_exists"));
        create(acc, "PERCENT_OF_GRANT", 101).then().statusCode(400).body("errors[0].field", equalTo("value"));
        create(acc, "DEFAULT", 5).then().statusCode(400).body("errors[0].field", equalTo("kind"));
        create(acc, "CREDITS", 0).then().statusCode(400);
        as(TestTokens.account("someone-else")).body("{\"kind\":\"CREDITS\",\"value\":5}").post("/accounts/{id}/credits/alerts", acc)
                .then().statusCode(403);
        alerts(acc).then().body("alerts.size()", equalTo(1));
        for (int i = 1; i < 10; i++) {
            create(acc, "CREDITS", 1000 + i).then().statusCode(201);
        }
        create(acc, "OVERAGE", 5).then().statusCode(409).body("code", equalTo("too_many_alerts"));
        as(TestTokens.account(acc)).delete("/accounts/{id}/credits/alerts/{a}", acc, id).then().statusCode(204);
        as(TestTokens.account(acc)).delete("/accounts/{id}/credits/alerts/{a}", acc, id).then().statusCode(404)
                .body("code", equalTo("alert_not_found"));
        alerts(acc).then().body("alerts.size()", equalTo(9));
    }

    private void subscribed(String acc, long credits, Overage overage) throws Exception {
        Instant start = Instant.now().minus(Duration.ofDays(3));
        var state = new SubscriptionState(UUID.nameUUIDFromBytes(acc.getBytes()), acc, "plus", 1, BillingInterval.MONTH,
                SubscriptionState.Status.ACTIVE, start, start.plus(Duration.ofDays(30)), false, null,
                new CreditTerms(credits, BillingInterval.MONTH, 0, overage), List.of(), 1, 1);
        TestEvents.publish(Events.SUBSCRIPTION_STARTED, acc, acc, json.writeValueAsString(new SubscriptionEvent(state, null)));
    }

    private static io.restassured.response.Response create(String acc, String kind, long value) {
        return as(TestTokens.account(acc)).body("{\"kind\":\"" + kind + "\",\"value\":" + value + "}").post("/accounts/{id}/credits/alerts", acc);
    }

    private static io.restassured.response.Response alerts(String acc) {
        return as(TestTokens.account(acc)).get("/accounts/{id}/credits/alerts", acc);
    }

    private static RequestSpecification as(String token) {
        return given().header("Authorization", TestTokens.bearer(token)).contentType(ContentType.JSON);
    }

    /** The events of a type in the account's outbox, as alertId:balance:threshold. */
    private List<String> said(String acc, String type) {
        List<String> out = new ArrayList<>();
        pool.preparedQuery("SELECT payload->>'alertId', payload->>'balance', payload->>'threshold' FROM outbox_event WHERE type = $1 "
                        + "AND subject = $2 ORDER BY seq").execute(Tuple.of(type, acc)).await().atMost(Duration.ofSeconds(10))
                .forEach(r -> out.add(r.getString(0) + ":" + r.getString(1) + ":" + r.getString(2)));
        return out;
    }

    private String payload(String acc, String type, String field) {
        return pool.preparedQuery("SELECT payload->>'" + field + "' FROM outbox_event WHERE type = $1 AND subject = $2 ORDER BY seq LIMIT 1")
                .execute(Tuple.of(type, acc)).await().atMost(Duration.ofSeconds(10)).iterator().next().getString(0);
    }
}
