package dev.tally.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.e2e.Suite.Service;
import dev.tally.testsupport.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 22: usage so far and upcoming charges on a BILL plan (Pro: 1.00 USD per 1,000 credits of
 * overage), before the usage close (the overage is to be charged at the close, the renewal on the
 * billing date) and after it (the overage was charged; what is spent after the close waits for the next).
 */
class UsageAndUpcomingChargesJourneyTest {
    private final Suite suite = Suite.get();

    private RequestSpecification at(Service service, String token) {
        return given().baseUri(suite.url(service)).header("Authorization", token);
    }

    @Test
    void usageAndUpcomingChargesOnABillPlanBeforeAndAfterTheUsageClose() {
        String acc = "acc-" + UUID.randomUUID();
        String token = TestTokens.bearer(TestTokens.account(acc));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> at(Service.SUBSCRIPTIONS, token).get("/accounts/{id}/subscription", acc)
                .then().statusCode(200));
        at(Service.SUBSCRIPTIONS, token).contentType(ContentType.JSON).body("{\"planCode\":\"pro\",\"interval\":\"MONTH\"}")
                .post("/accounts/{id}/subscription/changes", acc).then().statusCode(200);
        Instant periodEnd = Instant.parse(at(Service.SUBSCRIPTIONS, token).get("/accounts/{id}/subscription", acc).then()
                .extract().path("periodEnd"));
        Instant close = periodEnd.minus(Duration.ofDays(3));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> at(Service.CREDITS, token).get("/accounts/{id}/credits/usage", acc)
                .then().statusCode(200).body("periodEnd", equalTo(periodEnd.toString())).body("overage.mode", equalTo("BILL")));
        int available = at(Service.CREDITS, token).get("/accounts/{id}/credits", acc).then().extract().path("available");
        debit(acc, token, available + 1500).then().statusCode(201).body("overage", equalTo(1500));

        at(Service.CREDITS, token).get("/accounts/{id}/credits/usage", acc).then().statusCode(200)
                .body("spentTotal", equalTo(available)).body("overage.credits", equalTo(1500)).body("overage.amountMinor", equalTo(150))
                .body("nextClose.at", equalTo(close.toString())).body("nextClose.credits", equalTo(1500))
                .body("nextClose.amountMinor", equalTo(150)).body("lastClose", nullValue());
        JsonPath before = upcoming(acc, token);
        assertEquals(List.of("OVERAGE", "RENEWAL"), before.getList("lines.kind"));
        assertEquals(List.of(150, 3000), before.getList("lines.amountMinor"));
        assertEquals(close.toString(), before.getString("lines[0].chargedAt"));
        assertEquals(periodEnd.toString(), before.getString("lines[1].chargedAt"));
        assertEquals("pro", before.getString("planCode"));
        assertEquals(3150 - before.getLong("customerBalanceAppliedMinor"), before.getLong("dueMinor"));

        suite.setClock(periodEnd.minus(Duration.ofDays(2))); // past the close
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> at(Service.CREDITS, token).get("/accounts/{id}/credits/usage", acc).then()
                .body("lastClose.credits", equalTo(1500)).body("lastClose.amountMinor", equalTo(150)));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> at(Service.SUBSCRIPTIONS, token).get("/accounts/{id}/charges", acc)
                .then().body("find { it.kind == 'OVERAGE' }.amountMinor", equalTo(150)));
        JsonPath after = upcoming(acc, token);
        assertEquals(List.of("RENEWAL"), after.getList("lines.kind"), "the overage was charged at the close");
        assertEquals(3000 - after.getLong("customerBalanceAppliedMinor"), after.getLong("dueMinor"));

        debit(acc, token, 200).then().statusCode(201).body("overage", equalTo(200)); // after the close: the next period's
        at(Service.CREDITS, token).get("/accounts/{id}/credits/usage", acc).then()
                .body("overage.credits", equalTo(200)).body("nextClose.at", nullValue()).body("nextClose.amountMinor", equalTo(20));
        assertEquals(List.of("RENEWAL"), upcoming(acc, token).getList("lines.kind"), "the next period's overage is not this billing date's");
    }

    private JsonPath upcoming(String acc, String token) {
        return at(Service.SUBSCRIPTIONS, token).get("/accounts/{id}/charges/upcoming", acc).then().statusCode(200)
                .body("warnings.size()", equalTo(0)).extract().jsonPath();
    }

    private io.restassured.response.Response debit(String acc, String token, int amount) {
        return at(Service.CREDITS, token).contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                .body("{\"amount\":" + amount + ",\"reason\":\"batch render\"}").post("/accounts/{id}/credits/debits", acc);
    }
}
