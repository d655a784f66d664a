package dev.tally.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.tally.e2e.Suite.Service;
import dev.tally.testsupport.TestTokens;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Seed journey: overage on a BILL plan (Pro: 1.00 USD per 1,000 credits) is closed three days
 * before the billing date and charged; usage after the close waits for the next period.
 */
class OverageJourneyTest {

    @Test
    void overageOnABillPlanIsClosedThreeDaysBeforeTheBillingDateAndCharged() {
        Suite suite = Suite.get();
        String acc = "acc-" + UUID.randomUUID();
        String token = TestTokens.bearer(TestTokens.account(acc));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().baseUri(suite.url(Service.SUBSCRIPTIONS))
                .header("Authorization", token).get("/accounts/{id}/subscription", acc).then().statusCode(200));
        given().baseUri(suite.url(Service.SUBSCRIPTIONS)).header("Authorization", token).contentType(ContentType.JSON)
                .body("{\"planCode\":\"pro\",\"interval\":\"MONTH\"}").post("/accounts/{id}/subscription/changes", acc)
                .then().statusCode(200);
        Instant periodEnd = Instant.parse(given().baseUri(suite.url(Service.SUBSCRIPTIONS)).header("Authorization", token)
                .get("/accounts/{id}/subscription", acc).then().extract().path("periodEnd"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().baseUri(suite.url(Service.CREDITS)).header("Authorization", token)
                .get("/accounts/{id}/credits", acc).then().body("byBucket.SUBSCRIPTION", equalTo(5000)));

        int available = given().baseUri(suite.url(Service.CREDITS)).header("Authorization", token)
                .get("/accounts/{id}/credits", acc).then().extract().path("available"); // Pro's 5,000 (and what is left of today's Free credits)
        debit(suite, acc, token, available + 1500).then().statusCode(201).body("overage", equalTo(1500));

        suite.setClock(periodEnd.minus(Duration.ofDays(2))); // past the close, 3 days before the billing date
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().baseUri(suite.url(Service.SUBSCRIPTIONS))
                .header("Authorization", token).get("/accounts/{id}/charges", acc)
                .then().statusCode(200).body("description", hasItem("overage: 1500 credits"))
                .body("find { it.description.startsWith('overage') }.amountMinor", equalTo(150)));

        debit(suite, acc, token, 200).then().statusCode(201).body("overage", equalTo(200)); // after the close: next period
        given().baseUri(suite.url(Service.SUBSCRIPTIONS)).header("Authorization", token).get("/accounts/{id}/charges", acc)
                .then().body("findAll { it.description.startsWith('overage') }.size()", equalTo(1));
    }

    private static io.restassured.response.Response debit(Suite suite, String acc, String token, int amount) {
        return given().baseUri(suite.url(Service.CREDITS)).header("Authorization", token).contentType(ContentType.JSON)
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .body("{\"amount\":" + amount + ",\"reason\":\"batch render\"}").post("/accounts/{id}/credits/debits", acc);
    }
}
