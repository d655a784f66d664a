package dev.tally.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.e2e.Suite.Service;
import dev.tally.testsupport.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Balance alerts through HTTP and the credits topic: an account sets a threshold, a debit takes the
 * balance below it (one credits.low-balance; a further debit says nothing), a promo grant brings it
 * back (one credits.balance-recovered); an account that set none has the default threshold.
 */
class BalanceAlertsJourneyTest {
    private final Suite suite = Suite.get();

    @Test
    void aDebitBelowTheAccountsThresholdAlertsOnceAndAGrantAboveItSaysItRecovered() {
        String acc = "acc-" + UUID.randomUUID();
        int start = freeCredits(acc);
        String alertId = credits(acc).body("{\"kind\":\"CREDITS\",\"value\":" + (start - 20) + "}").post("/accounts/{id}/credits/alerts", acc)
                .then().statusCode(201).body("tripped", equalTo(false)).extract().path("alertId");

        debit(acc, 30);
        debit(acc, 5);
        credits(acc).get("/accounts/{id}/credits/alerts", acc).then().statusCode(200).body("alerts[0].tripped", equalTo(true));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(1, CreditEvents.of(acc, "credits.low-balance").size()));
        var low = CreditEvents.of(acc, "credits.low-balance").get(0).payload();
        assertEquals(alertId, low.get("alertId").asText());
        assertEquals(start - 30, low.get("balance").asLong(), "said by the debit that crossed, not the one after");

        given().baseUri(suite.url(Service.CREDITS)).header("Authorization", TestTokens.bearer(TestTokens.admin())).contentType(ContentType.JSON)
                .header("Idempotency-Key", UUID.randomUUID().toString()).body("{\"credits\":40,\"reason\":\"goodwill\"}")
                .post("/accounts/{id}/credits/grants", acc).then().statusCode(201);
        credits(acc).get("/accounts/{id}/credits/alerts", acc).then().body("alerts[0].tripped", equalTo(false));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(1, CreditEvents.of(acc, "credits.balance-recovered").size()));
        assertEquals(start + 5, CreditEvents.of(acc, "credits.balance-recovered").get(0).payload().get("balance").asLong());
        assertEquals(1, CreditEvents.of(acc, "credits.low-balance").size());
    }

    @Test
    void anAccountThatSetNoThresholdHasTheDefaultOne() {
        String acc = "acc-" + UUID.randomUUID();
        int start = freeCredits(acc);
        credits(acc).get("/accounts/{id}/credits/alerts", acc).then().body("alerts[0].kind", equalTo("DEFAULT"))
                .body("alerts[0].thresholdCredits", equalTo(50));
        debit(acc, start - 49);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(1, CreditEvents.of(acc, "credits.low-balance").size()));
        assertEquals("default", CreditEvents.of(acc, "credits.low-balance").get(0).payload().get("alertId").asText());
    }

    /** The account starts on Free; the day's credits arrive from its subscription event. */
    private int freeCredits(String acc) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().baseUri(suite.url(Service.SUBSCRIPTIONS))
                .header("Authorization", TestTokens.bearer(TestTokens.account(acc))).get("/accounts/{id}/subscription", acc)
                .then().statusCode(200));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> credits(acc).get("/accounts/{id}/credits", acc).then()
                .body("byBucket.DAILY", org.hamcrest.Matchers.greaterThan(60)));
        return credits(acc).get("/accounts/{id}/credits", acc).then().extract().path("available");
    }

    private void debit(String acc, int amount) {
        credits(acc).header("Idempotency-Key", UUID.randomUUID().toString()).body("{\"amount\":" + amount + ",\"reason\":\"render\"}")
                .post("/accounts/{id}/credits/debits", acc).then().statusCode(201);
    }

    private RequestSpecification credits(String acc) {
        return given().baseUri(suite.url(Service.CREDITS)).header("Authorization", TestTokens.bearer(TestTokens.account(acc)))
                .contentType(ContentType.JSON);
    }
}
