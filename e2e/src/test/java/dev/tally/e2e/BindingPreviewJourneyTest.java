package dev.tally.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.e2e.Suite.Service;
import dev.tally.testsupport.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A preview is binding (issue 17), over HTTP on the running suite: every service's clock frozen at
 * exactly half of a Plus month, an IMMEDIATE_PRORATED upgrade to Pro is previewed, the clocks move
 * on, and the confirmed change bills the previewed cents and credits-service grants the previewed
 * credits (kept + granted), to the cent and the credit.
 */
class BindingPreviewJourneyTest {
    private final Suite suite = Suite.get();

    private Response post(String acc, String what, String body) {
        return given().baseUri(suite.url(Service.SUBSCRIPTIONS)).header("Authorization", TestTokens.bearer(TestTokens.account(acc)))
                .header("Idempotency-Key", UUID.randomUUID().toString()).contentType(ContentType.JSON).body(body)
                .post("/accounts/{id}/subscription/" + what, acc);
    }

    private Response get(Service service, String path, String acc) {
        return given().baseUri(suite.url(service)).header("Authorization", TestTokens.bearer(TestTokens.admin())).get(path, acc);
    }

    @Test
    void anImmediateProratedUpgradePreviewedAtHalfThePeriodIsConfirmedToTheCentAndTheCredit() {
        String acc = "acc-" + UUID.randomUUID();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().baseUri(suite.url(Service.SUBSCRIPTIONS))
                .header("Authorization", TestTokens.bearer(TestTokens.service())).get("/catalog/plans").then()
                .body("code", org.hamcrest.Matchers.hasItems("plus", "pro"))); // the catalog read model has the demo plans
        post(acc, "changes", "{\"planCode\":\"plus\",\"interval\":\"MONTH\"}").then().statusCode(200);
        JsonPath sub = get(Service.SUBSCRIPTIONS, "/accounts/{id}/subscription", acc).then().statusCode(200).extract().jsonPath();
        Instant start = Instant.parse(sub.getString("periodStart"));
        Instant end = Instant.parse(sub.getString("periodEnd"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> get(Service.CREDITS, "/accounts/{id}/credits", acc).then()
                .body("byBucket.SUBSCRIPTION", equalTo(1000)));
        Instant half = start.plus(Duration.between(start, end).dividedBy(2));
        suite.freezeClock(half);
        try {
            JsonPath preview = post(acc, "previews", "{\"planCode\":\"pro\",\"interval\":\"MONTH\",\"timing\":\"IMMEDIATE_PRORATED\"}")
                    .then().statusCode(200).extract().jsonPath();
            // half of plus (10.00) back, half of pro (30.00) charged; (5000 - 1000) / 2 credits more
            assertEquals(500, preview.getLong("creditForUnusedMinor"));
            assertEquals(1500, preview.getLong("chargeMinor"));
            assertEquals(1000, preview.getLong("payNowMinor"));
            assertEquals(1000, preview.getLong("credits.kept"));
            assertEquals(2000, preview.getLong("credits.granted"));

            suite.advanceClock(Duration.ofSeconds(7)); // confirmed 7 s later: re-quoting now would grant 1999
            JsonPath done = post(acc, "changes", "{\"previewId\":\"" + preview.getString("previewId") + "\"}").then().statusCode(200)
                    .extract().jsonPath();
            for (String field : List.of("creditForUnusedMinor", "chargeMinor", "dueMinor", "payNowMinor", "effectiveAt",
                    "newPeriodStart", "newPeriodEnd", "secondsLeft", "secondsInPeriod")) {
                assertEquals(preview.getString(field), done.getString(field), field + " as previewed");
            }
            assertEquals(preview.getMap("credits"), done.getMap("credits"), "the change answers the preview's credits");
            get(Service.SUBSCRIPTIONS, "/accounts/{id}/charges", acc).then()
                    .body("findAll { it.kind == 'REMAINING_TIME' }.amountMinor", equalTo(List.of(1500)))
                    .body("findAll { it.kind == 'UNUSED_TIME_CREDIT' }.amountMinor", equalTo(List.of(-500)));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> get(Service.CREDITS, "/accounts/{id}/credits", acc).then()
                    .body("byBucket.SUBSCRIPTION", equalTo(3000))); // 1000 kept + 2000 granted, as previewed
        } finally {
            suite.setClock(half.plusSeconds(7)); // running again, for the suite's other journeys
        }
    }
}
