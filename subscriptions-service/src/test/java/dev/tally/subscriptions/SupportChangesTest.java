package dev.tally.subscriptions;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.contracts.Events;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.Overage;
import dev.tally.contracts.plans.PlanPrice;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.contracts.subscriptions.ChangeTiming;
import dev.tally.credits.domain.PlanChangeCredits;
import dev.tally.testsupport.TestEvents;
import dev.tally.testsupport.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Support (an admin token acting for an account) may use any timing on any plan, with a required
 * reason recorded in the history, the charge lines and the event; an account asking the same is
 * refused and told that support can do it (issue 25).
 */
@QuarkusTest
@TestProfile(NeighboursStub.class)
class SupportChangesTest {
    private static final String REASON = "instant downgrade agreed with the customer, ticket 4711";

    @Inject
    ObjectMapper json;

    @Inject
    Pool pool;

    @BeforeEach
    void catalogAndNeighbours() throws Exception {
        var stub = NeighboursStub.SERVER;
        stub.resetAll();
        publish(new PlanSnapshot("free", 1, "Free", "", 0, true, true, List.of(), 0, BillingInterval.MONTH, 100, 1, List.of(),
                Overage.block(), PlanSnapshot.PlanStatus.PUBLISHED, Instant.now()));
        publish(paid("plus", 10, 1000, 1000, true));
        publish(paid("pro", 20, 3000, 5000, true));
        publish(paid("enterprise", 30, 10000, 50000, false));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> as(TestTokens.service()).get("/catalog/plans").then()
                .body("code", Matchers.hasItems("free", "plus", "pro", "enterprise")));
        TestPolicy.set(pool); // the default table; enterprise is not self-serve: sales to join it, an admin to leave it
        stub.stubFor(get(urlPathMatching("/accounts/.*/credits")).willReturn(okJson(
                "{\"accountId\":\"a\",\"available\":5000,\"held\":0,\"byBucket\":{\"SUBSCRIPTION\":5000}}")));
    }

    @Test
    void supportDowngradesAtOnceWithANewCycleAndTheUnusedTimeGoesToTheCustomerBalance() {
        String acc = onPro();
        var preview = post(TestTokens.admin(), acc, "previews", "{\"planCode\":\"plus\",\"timing\":\"IMMEDIATE\"}").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of("IMMEDIATE", "END_OF_PERIOD", "IMMEDIATE_PRORATED"), preview.getList("allowedTimings"), "support: any timing");
        var credits = PlanChangeCredits.onChange(ChangeTiming.IMMEDIATE, 5000, 5000, 1000, preview.getLong("secondsLeft"),
                preview.getLong("secondsInPeriod"));
        assertEquals(credits.kept(), preview.getLong("credits.kept"), "IMMEDIATE keeps what is left");
        assertEquals(credits.granted(), preview.getLong("credits.granted"), "and adds the new plan's full grant");
        JsonPath change = post(TestTokens.admin(), acc, "changes", "{\"planCode\":\"plus\",\"timing\":\"IMMEDIATE\",\"reason\":\"" + REASON + "\"}")
                .then().statusCode(200).extract().jsonPath();
        long credit = prorated(3000, change);
        assertEquals("IMMEDIATE", change.getString("timing"));
        assertEquals(credit, change.getLong("creditForUnusedMinor"));
        assertEquals(1000 - credit, change.getLong("dueMinor"), "due now = new price - credit");
        assertEquals(0, change.getLong("payNowMinor"));
        assertEquals(credit - 1000, change.getLong("customerBalanceAfterMinor"), "the negative result goes to the customer balance");
        assertEquals(change.getString("effectiveAt"), change.getString("newPeriodStart"), "a new cycle starts now");
        subscription(acc).then().body("planCode", Matchers.equalTo("plus"));
        recordedAsSupport(acc, "IMMEDIATE");
    }

    @Test
    void supportDowngradesAtOnceKeepingTheBillingDateWithBothSidesProrated() {
        String acc = onPro();
        JsonPath before = subscription(acc).then().extract().jsonPath();
        var preview = post(TestTokens.admin(), acc, "previews", "{\"planCode\":\"plus\",\"timing\":\"IMMEDIATE_PRORATED\"}").then()
                .statusCode(200).extract().jsonPath();
        var credits = PlanChangeCredits.onChange(ChangeTiming.IMMEDIATE_PRORATED, 5000, 5000, 1000, preview.getLong("secondsLeft"),
                preview.getLong("secondsInPeriod"));
        assertEquals(credits.kept(), preview.getLong("credits.kept"), "kept, capped at the new plan's grant for the rest of the period");
        assertTrue(preview.getLong("credits.kept") <= 1000);
        JsonPath change = post(TestTokens.admin(), acc, "changes", "{\"planCode\":\"plus\",\"timing\":\"IMMEDIATE_PRORATED\",\"reason\":\""
                + REASON + "\"}").then().statusCode(200).extract().jsonPath();
        long credit = prorated(3000, change);
        long charge = prorated(1000, change);
        assertEquals(credit, change.getLong("creditForUnusedMinor"));
        assertEquals(charge, change.getLong("chargeMinor"));
        assertEquals(charge - credit, change.getLong("dueMinor"));
        assertEquals(credit - charge, change.getLong("customerBalanceAfterMinor"));
        subscription(acc).then().body("planCode", Matchers.equalTo("plus"))
                .body("periodEnd", Matchers.equalTo(before.getString("periodEnd"))); // the billing date stays
        recordedAsSupport(acc, "IMMEDIATE_PRORATED");
    }

    @Test
    void supportMovesAnAccountOnAndOffANonSelfServePlanAndUsesThePolicysDefaultWhenNoTimingIsNamed() {
        String acc = "acc-" + UUID.randomUUID();
        post(TestTokens.account(acc), acc, "changes", "{\"planCode\":\"enterprise\"}").then().statusCode(403)
                .body("code", Matchers.equalTo("contact_sales_required"));
        post(TestTokens.admin(), acc, "changes", "{\"planCode\":\"enterprise\",\"reason\":\"signed contract\"}").then().statusCode(200);
        post(TestTokens.account(acc), acc, "changes", "{\"planCode\":\"pro\",\"timing\":\"IMMEDIATE\"}").then().statusCode(403)
                .body("code", Matchers.equalTo("admin_only"));
        post(TestTokens.admin(), acc, "changes", "{\"planCode\":\"pro\",\"reason\":\"" + REASON + "\"}").then().statusCode(200)
                .body("timing", Matchers.equalTo("END_OF_PERIOD")); // no timing named: the policy's default
        post(TestTokens.admin(), acc, "changes", "{\"planCode\":\"pro\",\"timing\":\"IMMEDIATE\",\"reason\":\"" + REASON + "\"}").then()
                .statusCode(200).body("timing", Matchers.equalTo("IMMEDIATE"));
        subscription(acc).then().body("planCode", Matchers.equalTo("pro"));
        as(TestTokens.admin()).get("/accounts/{id}/subscription/history", acc).then()
                .body("kind", Matchers.contains("plan-changed", "change-scheduled", "plan-changed"))
                .body("toPlan", Matchers.contains("pro", "pro", "enterprise"))
                .body("actedBy", Matchers.everyItem(Matchers.equalTo("ops")));
    }

    @Test
    void supportMustGiveAReason() {
        String acc = onPro();
        for (String body : List.of("{\"planCode\":\"plus\",\"timing\":\"IMMEDIATE\"}", "{\"planCode\":\"plus\",\"timing\":\"IMMEDIATE\",\"reason\":\"  \"}")) {
            post(TestTokens.admin(), acc, "changes", body).then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", Matchers.equalTo("reason"));
        }
        subscription(acc).then().body("planCode", Matchers.equalTo("pro"));
    }

    @Test
    void anAccountAskingForATimingThePolicyDoesNotAllowIsRefusedAndToldSupportCanDoIt() {
        String acc = onPro();
        post(TestTokens.account(acc), acc, "changes", "{\"planCode\":\"plus\",\"timing\":\"IMMEDIATE\",\"reason\":\"I want it now\"}").then()
                .statusCode(422).body("code", Matchers.equalTo("timing_not_allowed"))
                .body("detail", Matchers.containsString("Support can make this change"));
        subscription(acc).then().body("planCode", Matchers.equalTo("pro"));
        assertEquals(0, count("SELECT count(*) FROM subscription_history WHERE account_id = $1 AND to_plan = 'plus'", acc));
    }

    /** The admin's subject and reason on the history entry, every charge line of the change and its event. */
    private void recordedAsSupport(String acc, String timing) {
        assertEquals(1, count("SELECT count(*) FROM subscription_history WHERE account_id = $1 AND to_plan = 'plus' AND timing = $2 "
                + "AND acted_by = 'ops' AND reason = $3", acc, timing, REASON));
        long ofTheChange = count("SELECT count(*) FROM charge WHERE account_id = $1 AND (description LIKE '%plus%' "
                + "OR description LIKE 'Unused time on pro%')", acc);
        assertTrue(ofTheChange >= 2, "a credit for unused pro time and a charge for plus");
        assertEquals(ofTheChange, count("SELECT count(*) FROM charge WHERE account_id = $1 AND acted_by = 'ops' AND reason = $2", acc, REASON));
        as(TestTokens.admin()).get("/accounts/{id}/charges", acc).then().body("[0].actedBy", Matchers.equalTo("ops"))
                .body("[0].reason", Matchers.equalTo(REASON));
        assertEquals(1, count("SELECT count(*) FROM outbox_event WHERE subject = $1 AND type = 'subscription.plan-changed' "
                + "AND payload->'change'->>'timing' = $2 AND payload->'change'->>'actedBy' = 'ops' AND payload->'change'->>'reason' = $3",
                acc, timing, REASON));
    }

    /** An account moved to pro by the product's backend (an upgrade, at once). */
    private String onPro() {
        String acc = "acc-" + UUID.randomUUID();
        post(TestTokens.service(), acc, "changes", "{\"planCode\":\"pro\"}").then().statusCode(200);
        return acc;
    }

    /** {@code price} × secondsLeft / secondsInPeriod of the quote, rounded half-even to the minor unit. */
    private static long prorated(long price, JsonPath quote) {
        return BigDecimal.valueOf(price).multiply(BigDecimal.valueOf(quote.getLong("secondsLeft")))
                .divide(BigDecimal.valueOf(quote.getLong("secondsInPeriod")), 0, RoundingMode.HALF_EVEN).longValueExact();
    }

    private static PlanSnapshot paid(String code, int rank, long price, long credits, boolean selfServe) {
        return new PlanSnapshot(code, 1, code, "", rank, selfServe, false, List.of(new PlanPrice(BillingInterval.MONTH, price, "USD", null)),
                credits, BillingInterval.MONTH, 0, 1, List.of(), Overage.block(), PlanSnapshot.PlanStatus.PUBLISHED, Instant.now());
    }

    private static io.restassured.specification.RequestSpecification as(String token) {
        return given().header("Authorization", TestTokens.bearer(token)).contentType(ContentType.JSON);
    }

    private static Response post(String token, String acc, String what, String body) {
        return as(token).header("Idempotency-Key", UUID.randomUUID().toString()).body(body).post("/accounts/{id}/subscription/" + what, acc);
    }

    private static Response subscription(String acc) {
        return as(TestTokens.service()).get("/accounts/{id}/subscription", acc);
    }

    private long count(String sql, Object... args) {
        return pool.preparedQuery(sql).execute(Tuple.from(List.of(args))).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }

    private void publish(PlanSnapshot plan) throws Exception {
        TestEvents.publish(Events.PLAN_PUBLISHED, plan.code(), plan.code(), json.writeValueAsString(plan));
    }
}
