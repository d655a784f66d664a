package dev.tally.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.tally.e2e.Suite.Service;
import dev.tally.testsupport.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Kong's billing (issue 24) on the running suite: signing up to a plan billed in arrears charges
 * nothing; a mid-cycle IMMEDIATE_PRORATED downgrade charges nothing either; three days before the
 * billing date the period's two prorated parts can be read, and on the billing date they are
 * collected, to the cent, one charge line per part with its period.
 */
class ArrearsJourneyTest {
    private final Suite suite = Suite.get();

    private RequestSpecification as(Service service, String token) {
        return given().baseUri(suite.url(service)).header("Authorization", TestTokens.bearer(token)).contentType(ContentType.JSON);
    }

    private Response post(String acc, String what, String body) {
        return as(Service.SUBSCRIPTIONS, TestTokens.account(acc)).header("Idempotency-Key", UUID.randomUUID().toString()).body(body)
                .post("/accounts/{id}/subscription/" + what, acc);
    }

    private void publish(String code, int rank, long price) {
        as(Service.PLANS, TestTokens.admin()).body("""
                {"code":"%s","name":"Kong %s","rank":%d,"selfServe":true,"defaultFree":false,"billingMode":"IN_ARREARS",
                 "prices":[{"interval":"MONTH","amountMinor":%d,"currency":"USD"}],"creditsPerPeriod":1000}"""
                .formatted(code, code, rank, price)).post("/admin/plans").then().statusCode(201);
        as(Service.PLANS, TestTokens.admin()).post("/admin/plans/{code}/publish", code).then().statusCode(201)
                .body("billingMode", equalTo("IN_ARREARS"));
    }

    private static long prorated(long price, Instant from, Instant to, Instant periodStart, Instant periodEnd) {
        return BigDecimal.valueOf(price).multiply(BigDecimal.valueOf(Duration.between(from, to).toSeconds()))
                .divide(BigDecimal.valueOf(Duration.between(periodStart, periodEnd).toSeconds()), 0, RoundingMode.HALF_EVEN).longValueExact();
    }

    @Test
    void signUpChargesNothingAndADowngradedPeriodIsReadableThreeDaysBeforeItsBillingDateAndCollectedOnIt() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String pro = "kong-pro-" + run;
        String plus = "kong-plus-" + run;
        int rank = 300000 + Math.abs(run.hashCode() % 100000) * 2;
        publish(pro, rank + 1, 3000);
        publish(plus, rank, 1000);
        as(Service.PLANS, TestTokens.admin()).body("{\"fromCode\":\"" + pro + "\",\"toCode\":\"" + plus + "\",\"allowedTimings\":"
                + "[\"END_OF_PERIOD\",\"IMMEDIATE_PRORATED\"],\"defaultTiming\":\"END_OF_PERIOD\"}").put("/admin/change-policies")
                .then().statusCode(200);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> as(Service.SUBSCRIPTIONS, TestTokens.service()).get("/catalog/plans")
                .then().body("code", hasItems(pro, plus)));

        Instant now = Instant.parse(as(Service.SUBSCRIPTIONS, TestTokens.admin()).get("/admin/clock").then().extract().path("now"));
        Instant start = now.atOffset(ZoneOffset.UTC).plusMonths(2).withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).toInstant();
        Instant end = start.atOffset(ZoneOffset.UTC).plusMonths(1).toInstant();
        Instant downgrade = start.plus(Duration.ofDays(10).plusHours(6).plusSeconds(7));
        long proPart = prorated(3000, start, downgrade, start, end);
        long plusPart = prorated(1000, downgrade, end, start, end);
        String acc = "acc-" + UUID.randomUUID();
        suite.freezeClock(start);
        try {
            post(acc, "changes", "{\"planCode\":\"" + pro + "\",\"interval\":\"MONTH\"}").then().statusCode(200)
                    .body("payNowMinor", equalTo(0)).body("nextInvoice.totalMinor", equalTo(3000));
            JsonPath s = as(Service.SUBSCRIPTIONS, TestTokens.admin()).get("/accounts/{id}/subscription", acc).then().extract().jsonPath();
            assertEquals(start.toString(), s.getString("periodStart"));
            assertEquals(end.toString(), s.getString("periodEnd"));
            assertEquals(List.of(), charges(acc).getList("id"), "nothing is charged at sign-up");

            suite.freezeClock(downgrade);
            JsonPath preview = post(acc, "previews", "{\"planCode\":\"" + plus + "\",\"timing\":\"IMMEDIATE_PRORATED\"}").then()
                    .statusCode(200).body("dueMinor", equalTo(0)).body("payNowMinor", equalTo(0)).extract().jsonPath();
            assertEquals(List.of((int) proPart, (int) plusPart), preview.getList("nextInvoice.lines.amountMinor"));
            post(acc, "changes", "{\"previewId\":\"" + preview.getString("previewId") + "\"}").then().statusCode(200)
                    .body("payNowMinor", equalTo(0));
            assertEquals(List.of(), charges(acc).getList("id"), "nothing is charged for the downgrade either");

            suite.freezeClock(end.minus(Duration.ofDays(3))); // the usage close
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> as(Service.SUBSCRIPTIONS, TestTokens.account(acc))
                    .get("/accounts/{id}/invoices/upcoming", acc).then().statusCode(200).body("status", equalTo("COMPUTED"))
                    .body("totalMinor", equalTo((int) (proPart + plusPart))).body("billingDate", equalTo(end.toString())));
            JsonPath computed = charges(acc);
            assertEquals(List.of("COMPUTED", "COMPUTED"), computed.getList("status"));
            assertEquals(List.of((int) plusPart, (int) proPart), computed.getList("amountMinor"));

            suite.freezeClock(end); // the billing date
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> as(Service.SUBSCRIPTIONS, TestTokens.account(acc))
                    .get("/accounts/{id}/invoices", acc).then().body("[0].status", equalTo("COLLECTED"))
                    .body("[0].paidMinor", equalTo((int) (proPart + plusPart))));
            JsonPath collected = charges(acc);
            assertEquals(List.of("COLLECTED", "COLLECTED"), collected.getList("status"));
            assertEquals(List.of(downgrade.toString(), start.toString()), collected.getList("periodStart"));
            assertEquals(List.of(end.toString(), downgrade.toString()), collected.getList("periodEnd"));
            assertNotNull(collected.getString("[0].paymentRef"));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> as(Service.SUBSCRIPTIONS, TestTokens.admin())
                    .get("/accounts/{id}/subscription", acc).then().body("planCode", equalTo(plus)).body("periodStart", equalTo(end.toString())));
            assertEquals(2, charges(acc).getList("id").size(), "the renewal of a plan billed in arrears charges nothing ahead");
        } finally {
            suite.setClock(end.plusSeconds(1)); // running again, for the suite's other journeys
        }
    }

    private JsonPath charges(String acc) {
        return as(Service.SUBSCRIPTIONS, TestTokens.account(acc)).get("/accounts/{id}/charges", acc).then().statusCode(200).extract().jsonPath();
    }
}
