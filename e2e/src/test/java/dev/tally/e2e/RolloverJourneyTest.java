package dev.tally.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
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
 * A plan rolling over at most 300 unused credits for 10 days: the preview of a downgrade at the
 * period end says what would roll over; the renewal rolls 300 of the 450 left into a ROLLOVER lot
 * (its ledger entries and credits.rolled-over), forfeits the other 150, and the lot is spent first.
 */
class RolloverJourneyTest {
    private final Suite suite = Suite.get();

    @Test
    void aRenewalRollsOverTheCappedCreditsForfeitsTheRestAndTheRolledLotIsSpentFirst() {
        String code = "roll-" + UUID.randomUUID().toString().substring(0, 8);
        String draft = """
                {"code":"%s","name":"Studio rollover","description":"unused credits roll over","rank":%d,"selfServe":true,
                 "defaultFree":false,"prices":[{"interval":"MONTH","amountMinor":2000,"currency":"USD"}],"creditsPerPeriod":1000,
                 "creditPeriod":"MONTH","dailyCredits":0,"seatsIncluded":1,"features":["pro-models"],
                 "overage":{"mode":"BLOCK","unitPriceMinor":0,"unitCredits":1},"rollover":{"maxCredits":300,"expiresAfterDays":10}}"""
                .formatted(code, 200_000 + Math.abs(UUID.randomUUID().hashCode() % 100000));
        plans().body(draft).post("/admin/plans").then().statusCode(201);
        plans().post("/admin/plans/{code}/publish", code).then().statusCode(201).body("rollover.maxCredits", equalTo(300));

        String acc = "acc-" + UUID.randomUUID();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> subscriptions(acc)
                .header("Idempotency-Key", UUID.randomUUID().toString()).body("{\"planCode\":\"" + code + "\",\"interval\":\"MONTH\"}")
                .post("/accounts/{id}/subscription/changes", acc).then().statusCode(200));
        Instant periodEnd = Instant.parse(subscriptions(acc).get("/accounts/{id}/subscription", acc).path("periodEnd"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> credits(acc).get("/accounts/{id}/credits", acc).then()
                .body("byBucket.SUBSCRIPTION", equalTo(1000)));
        suite.advanceClock(Duration.ofDays(1)); // the free plan's daily credits are gone: debits take the period's grant
        credits(acc).header("Idempotency-Key", UUID.randomUUID().toString()).body("{\"amount\":550,\"reason\":\"render\"}")
                .post("/accounts/{id}/credits/debits", acc).then().statusCode(201).body("takenFrom.bucket", equalTo(List.of("SUBSCRIPTION")));

        subscriptions(acc).body("{\"planCode\":\"free\",\"timing\":\"END_OF_PERIOD\"}").post("/accounts/{id}/subscription/previews", acc)
                .then().statusCode(200).body("credits.subscriptionCreditsNow", equalTo(450)).body("credits.rolledOver", equalTo(300))
                .body("credits.forfeited", equalTo(150));

        suite.setClock(periodEnd.plus(Duration.ofHours(1)));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> credits(acc).get("/accounts/{id}/credits", acc).then()
                .body("byBucket.ROLLOVER", equalTo(300)).body("byBucket.SUBSCRIPTION", equalTo(1000)).body("available", equalTo(1300)));
        JsonPath ledger = new JsonPath(credits(acc).queryParam("limit", 200).get("/accounts/{id}/credits/ledger", acc).then().statusCode(200)
                .extract().asString());
        assertEquals(List.of(-300), ledger.getList("findAll { it.kind == 'ROLLOVER' }.amount"));
        assertEquals(List.of(-150), ledger.getList("findAll { it.kind == 'FORFEIT' && it.bucket == 'SUBSCRIPTION' }.amount"));
        assertEquals(List.of(300), ledger.getList("findAll { it.kind == 'GRANT' && it.bucket == 'ROLLOVER' }.amount"));
        assertEquals(periodEnd.toString(), ledger.getString("find { it.kind == 'ROLLOVER' }.effectiveAt"));
        credits(acc).get("/accounts/{id}/credits/lots", acc).then().body("lots[0].bucket", equalTo("ROLLOVER"))
                .body("lots[0].expiresAt", equalTo(periodEnd.plus(Duration.ofDays(10)).toString()));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(1, CreditEvents.of(acc, "credits.rolled-over").size()));
        var rolled = CreditEvents.of(acc, "credits.rolled-over").get(0).payload();
        assertEquals(List.of(300L, 150L), List.of(rolled.get("credits").asLong(), rolled.get("forfeited").asLong()));

        credits(acc).header("Idempotency-Key", UUID.randomUUID().toString()).body("{\"amount\":350,\"reason\":\"render\"}")
                .post("/accounts/{id}/credits/debits", acc).then().statusCode(201)
                .body("takenFrom.bucket", equalTo(List.of("ROLLOVER", "SUBSCRIPTION"))).body("takenFrom.credits", equalTo(List.of(300, 50)));
    }

    private RequestSpecification subscriptions(String acc) {
        return given().baseUri(suite.url(Service.SUBSCRIPTIONS)).header("Authorization", TestTokens.bearer(TestTokens.account(acc)))
                .contentType(ContentType.JSON);
    }

    private RequestSpecification credits(String acc) {
        return given().baseUri(suite.url(Service.CREDITS)).header("Authorization", TestTokens.bearer(TestTokens.account(acc)))
                .contentType(ContentType.JSON);
    }

    private RequestSpecification plans() {
        return given().baseUri(suite.url(Service.PLANS)).header("Authorization", TestTokens.bearer(TestTokens.admin()))
                .contentType(ContentType.JSON);
    }
}
