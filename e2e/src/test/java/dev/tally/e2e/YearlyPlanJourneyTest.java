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
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A yearly plan granting credits monthly, played over 13 months through HTTP: twelve monthly grants
 * in the first year (each month's rest forfeited when it ends), one charge for the year, then the
 * yearly renewal (charged once more) and the thirteenth month's grant.
 */
class YearlyPlanJourneyTest {
    private final Suite suite = Suite.get();

    @Test
    void aYearlyPlanGrantingMonthlyGrantsTwelveTimesAYearAndForfeitsEachMonthsRest() {
        String code = "yearly-" + UUID.randomUUID().toString().substring(0, 8);
        String draft = """
                {"code":"%s","name":"Studio yearly","description":"billed yearly, credits monthly","rank":%d,"selfServe":true,
                 "defaultFree":false,"prices":[{"interval":"YEAR","amountMinor":120000,"currency":"USD"}],"creditsPerPeriod":1000,
                 "creditPeriod":"MONTH","dailyCredits":0,"seatsIncluded":1,"features":["pro-models"],
                 "overage":{"mode":"BLOCK","unitPriceMinor":0,"unitCredits":1}}""".formatted(code, 1000 + Math.abs(UUID.randomUUID().hashCode() % 100000));
        admin().body(draft).post("/admin/plans").then().statusCode(201);
        admin().post("/admin/plans/{code}/publish", code).then().statusCode(201);

        String acc = "acc-" + UUID.randomUUID();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> subscriptions(acc)
                .header("Idempotency-Key", UUID.randomUUID().toString()).body("{\"planCode\":\"" + code + "\",\"interval\":\"YEAR\"}")
                .post("/accounts/{id}/subscription/changes", acc).then().statusCode(200));
        Instant start = Instant.parse(subscriptions(acc).get("/accounts/{id}/subscription", acc).path("periodStart"));
        awaitSubscriptionCredits(acc, 1000, 1);
        suite.advanceClock(Duration.ofDays(1)); // the free plan's daily credits of the first day are gone: debits hit the month's grant

        for (int month = 1; month <= 13; month++) {
            long spent = 10L * month;
            credits(acc).header("Idempotency-Key", UUID.randomUUID().toString()).body("{\"amount\":" + spent + ",\"reason\":\"render\"}")
                    .post("/accounts/{id}/credits/debits", acc).then().statusCode(201);
            awaitSubscriptionCredits(acc, 1000 - spent, month);
            suite.setClock(start.atOffset(ZoneOffset.UTC).plusMonths(month).toInstant().plus(Duration.ofHours(1)));
            awaitSubscriptionCredits(acc, 1000, month + 1);
            JsonPath ledger = subscriptionLedger(acc);
            assertEquals(-(1000 - spent), ledger.getLong("find { it.kind == 'FORFEIT' }.amount"),
                    "month " + month + ": what was left of the month is forfeited");
        }
        subscriptions(acc).get("/accounts/{id}/subscription", acc).then().body("planCode", equalTo(code))
                .body("periodStart", equalTo(start.atOffset(ZoneOffset.UTC).plusYears(1).toInstant().toString()));
        subscriptions(acc).get("/accounts/{id}/charges", acc).then().body("amountMinor", equalTo(List.of(120000, 120000)))
                .body("kind", equalTo(List.of("RENEWAL", "NEW_PERIOD")));
        List<Integer> grants = subscriptionLedger(acc).getList("findAll { it.kind == 'GRANT' }.amount");
        assertEquals(14, grants.size(), "1 at the start, 11 inside the first year, 1 at the renewal, 1 for the thirteenth month");
    }

    private void awaitSubscriptionCredits(String acc, long credits, int grants) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            credits(acc).get("/accounts/{id}/credits", acc).then().body("byBucket.SUBSCRIPTION", equalTo((int) credits));
            assertEquals(grants, subscriptionLedger(acc).getList("findAll { it.kind == 'GRANT' }").size());
        });
    }

    private JsonPath subscriptionLedger(String acc) {
        return new JsonPath(credits(acc).queryParam("limit", 200).get("/accounts/{id}/credits/ledger", acc).then().statusCode(200)
                .extract().asString()).setRootPath("findAll { it.bucket == 'SUBSCRIPTION' }");
    }

    private RequestSpecification subscriptions(String acc) {
        return given().baseUri(suite.url(Service.SUBSCRIPTIONS)).header("Authorization", TestTokens.bearer(TestTokens.account(acc)))
                .contentType(ContentType.JSON);
    }

    private RequestSpecification credits(String acc) {
        return given().baseUri(suite.url(Service.CREDITS)).header("Authorization", TestTokens.bearer(TestTokens.account(acc)))
                .contentType(ContentType.JSON);
    }

    private RequestSpecification admin() {
        return given().baseUri(suite.url(Service.PLANS)).header("Authorization", TestTokens.bearer(TestTokens.admin()))
                .contentType(ContentType.JSON);
    }
}
