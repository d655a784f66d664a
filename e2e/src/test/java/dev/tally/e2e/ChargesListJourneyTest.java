package dev.tally.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.tally.e2e.Suite.Service;
import dev.tally.testsupport.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * One list of what the account paid (issue 17), over HTTP on the running suite: an account on Plus
 * buys a credit pack, and the charges list shows the top-up (pack, amount, payment reference) next
 * to the plan's line.
 */
class ChargesListJourneyTest {
    private final Suite suite = Suite.get();

    private RequestSpecification subscriptions(String acc) {
        return given().baseUri(suite.url(Service.SUBSCRIPTIONS)).header("Authorization", TestTokens.bearer(TestTokens.account(acc)))
                .contentType(ContentType.JSON);
    }

    @Test
    void aTopupAppearsInTheChargesListWithItsPackAndPaymentReference() {
        String acc = "acc-" + UUID.randomUUID();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().baseUri(suite.url(Service.SUBSCRIPTIONS))
                .header("Authorization", TestTokens.bearer(TestTokens.service())).get("/catalog/plans").then()
                .body("code", org.hamcrest.Matchers.hasItems("plus"))); // the catalog read model has the demo plans
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> subscriptions(acc).get("/accounts/{id}/subscription", acc).then()
                .statusCode(200));
        subscriptions(acc).header("Idempotency-Key", UUID.randomUUID().toString()).body("{\"planCode\":\"plus\",\"interval\":\"MONTH\"}")
                .post("/accounts/{id}/subscription/changes", acc).then().statusCode(200);
        subscriptions(acc).header("Idempotency-Key", UUID.randomUUID().toString()).body("{\"packCode\":\"pack-500\"}")
                .post("/accounts/{id}/topups", acc).then().statusCode(201);
        subscriptions(acc).get("/accounts/{id}/charges", acc).then().statusCode(200)
                .body("paidFor", equalTo(List.of("topup", "plan")))
                .body("[0].kind", equalTo("TOPUP")).body("[0].packCode", equalTo("pack-500")).body("[0].packCredits", equalTo(500))
                .body("[0].amountMinor", equalTo(500)).body("[0].periodStart", nullValue()).body("[0].paymentRef", startsWith("local_"))
                .body("[1].kind", equalTo("NEW_PERIOD")).body("[1].amountMinor", equalTo(1000)).body("[1].paymentRef", startsWith("local_"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().baseUri(suite.url(Service.CREDITS))
                .header("Authorization", TestTokens.bearer(TestTokens.account(acc))).get("/accounts/{id}/credits", acc).then()
                .body("byBucket.TOPUP", equalTo(500)));
    }
}
