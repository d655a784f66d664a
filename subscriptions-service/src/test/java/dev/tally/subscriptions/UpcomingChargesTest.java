package dev.tally.subscriptions;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.tally.subscriptions.ArrearsHarness.as;
import static dev.tally.subscriptions.ArrearsHarness.post;
import static dev.tally.subscriptions.ArrearsHarness.subscription;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.backbone.clock.TallyClock;
import dev.tally.contracts.Events;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.Overage;
import dev.tally.contracts.plans.PlanPrice;
import dev.tally.contracts.plans.PlanSnapshot;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GET /accounts/{id}/charges/upcoming: the next billing date's charges from the stored subscription, its invoice in
 * arrears and credits-service's usage so far (a stub here), before and after the usage close.
 */
@QuarkusTest
@TestProfile(NeighboursStub.class)
class UpcomingChargesTest {
    private static final Instant APRIL_1 = Instant.parse("2026-04-01T00:00:00Z");
    private static final Instant MAY_1 = Instant.parse("2026-05-01T00:00:00Z");

    @Inject
    ObjectMapper json;
    @Inject
    Pool pool;
    @Inject
    TallyClock clock;
    private ArrearsHarness arrears;

    @BeforeEach
    void catalog() throws Exception {
        arrears = new ArrearsHarness(json, pool);
        arrears.catalogAndNeighbours();
        arrears.publish(Events.PLAN_PUBLISHED, "adv-pro", inAdvance("adv-pro", 50, 3000));
        arrears.publish(Events.PLAN_PUBLISHED, "adv-plus", inAdvance("adv-plus", 45, 1000));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> as().get("/catalog/plans").then()
                .body("code", Matchers.hasItems("adv-pro", "adv-plus")));
    }

    @AfterEach
    void runningClock() {
        clock.reset();
    }

    private static PlanSnapshot inAdvance(String code, int rank, long price) {
        return new PlanSnapshot(code, 1, code, "", rank, true, false, List.of(new PlanPrice(BillingInterval.MONTH, price, "USD", null)),
                1000, BillingInterval.MONTH, 0, 1, List.of(), new Overage(Overage.Mode.BILL, 100, 1000, "USD"),
                PlanSnapshot.PlanStatus.PUBLISHED, Instant.now());
    }

    private static void usageIs(String acc, String body) {
        NeighboursStub.SERVER.stubFor(get(urlPathMatching("/accounts/" + acc + "/credits/usage")).willReturn(okJson(body)));
    }

    private static String close(String at, long credits, long minor, String closedAt) {
        return "{\"at\":" + (at == null ? "null" : "\"" + at + "\"") + ",\"periodEnd\":\"" + MAY_1 + "\",\"credits\":" + credits
                + ",\"amountMinor\":" + minor + ",\"currency\":\"USD\",\"closedAt\":" + (closedAt == null ? "null" : "\"" + closedAt + "\"") + "}";
    }

    private static JsonPath upcoming(String acc) {
        return as().get("/accounts/{id}/charges/upcoming", acc).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void inArrearsTheInvoiceAgreesWithInvoicesUpcomingAndTheUsageJoinsItOnceBeforeAndAfterTheClose() throws Exception {
        String acc = "acc-" + UUID.randomUUID();
        clock.set(APRIL_1, true);
        post(acc, "changes", "{\"planCode\":\"kong-pro\",\"timing\":\"IMMEDIATE\"}").then().statusCode(200);
        usageIs(acc, "{\"accountId\":\"" + acc + "\",\"periodEnd\":\"" + MAY_1 + "\",\"nextClose\":" + close("2026-04-28T00:00:00Z", 1500, 150, null)
                + ",\"lastClose\":null}");
        JsonPath before = upcoming(acc);
        assertEquals("RENEWED", before.getString("next"));
        assertEquals(MAY_1.toString(), before.getString("billingDate"));
        assertEquals(List.of("ARREARS", "OVERAGE"), before.getList("lines.kind"));
        assertEquals(3150, before.getLong("dueMinor"));
        assertEquals("PROJECTED", before.getString("invoice.status"));
        assertEquals(ArrearsHarness.upcoming(acc).getLong("totalMinor"), before.getLong("invoice.totalMinor"), "the /invoices/upcoming answer");

        JsonPath s = subscription(acc);
        clock.set(Instant.parse("2026-04-28T00:00:00Z"), true);
        arrears.usageCloseDue(s);
        arrears.usageClosed(s, 150);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(3150, ArrearsHarness.upcoming(acc).getLong("totalMinor")));
        usageIs(acc, "{\"accountId\":\"" + acc + "\",\"periodEnd\":\"" + MAY_1 + "\",\"nextClose\":" + close(null, 0, 0, null)
                + ",\"lastClose\":" + close(null, 1500, 150, "2026-04-28T00:00:00Z") + "}");
        JsonPath after = upcoming(acc);
        assertEquals("COMPUTED", after.getString("invoice.status"));
        assertEquals(List.of("ARREARS", "OVERAGE"), after.getList("lines.kind"), "the usage on the invoice is not counted twice");
        assertEquals(3150, after.getLong("dueMinor"));
        assertEquals(after.getLong("invoice.totalMinor"), after.getLong("totalMinor"));
    }

    @Test
    void inAdvanceAPendingDowngradeIsChargedAtItsPriceTheBalanceFirstAndTheOverageAtTheCloseThroughTheGateway() throws Exception {
        String acc = "acc-" + UUID.randomUUID();
        clock.set(APRIL_1, true);
        post(acc, "changes", "{\"planCode\":\"adv-pro\",\"timing\":\"IMMEDIATE\"}").then().statusCode(200);
        clock.set(Instant.parse("2026-04-16T00:00:00Z"), true);
        post(acc, "changes", "{\"planCode\":\"adv-plus\",\"timing\":\"IMMEDIATE\"}").then().statusCode(200); // 1500 back, 1000 charged
        as().get("/accounts/{id}/customer-balance", acc).then().body("amountMinor", equalTo(500));
        JsonPath s = subscription(acc);
        Instant end = Instant.parse(s.getString("periodEnd"));
        NeighboursStub.SERVER.stubFor(get(urlPathMatching("/accounts/" + acc + "/credits/usage")).willReturn(okJson("{\"accountId\":\"" + acc
                + "\",\"periodEnd\":\"" + end + "\",\"nextClose\":{\"at\":\"" + end.minus(Duration.ofDays(3)) + "\",\"periodEnd\":\"" + end
                + "\",\"credits\":2000,\"amountMinor\":200,\"currency\":\"USD\"},\"lastClose\":null}")));
        JsonPath u = upcoming(acc);
        assertEquals(List.of("OVERAGE", "RENEWAL"), u.getList("lines.kind"));
        assertEquals(end.minus(Duration.ofDays(3)).toString(), u.getString("lines[0].chargedAt"));
        assertEquals(false, u.getBoolean("lines[0].customerBalanceApplies"));
        assertEquals(1200, u.getLong("totalMinor"));
        assertEquals(500, u.getLong("customerBalanceAppliedMinor"));
        assertEquals(700, u.getLong("dueMinor"), "200 of overage and 1000 of renewal less the 500 held");
        assertEquals(0, u.getLong("customerBalanceAfterMinor"));
        assertEquals(null, u.getString("invoice"));

        post(acc, "changes", "{\"planCode\":\"adv-pro\",\"timing\":\"END_OF_PERIOD\"}").then().statusCode(200);
        NeighboursStub.SERVER.stubFor(get(urlPathMatching("/accounts/" + acc + "/credits/usage")).willReturn(serverError()));
        JsonPath changed = upcoming(acc);
        assertEquals("CHANGED", changed.getString("next"));
        assertEquals("adv-pro", changed.getString("planCode"));
        assertEquals(List.of("NEW_PERIOD"), changed.getList("lines.kind"));
        assertEquals(2500, changed.getLong("dueMinor"));
        assertEquals(List.of("usage_unknown"), changed.getList("warnings"), "credits-service did not answer: the overage is left out");
    }

    @Test
    void anAccountWithoutASubscriptionIsNotFound() {
        as().get("/accounts/{id}/charges/upcoming", "acc-" + UUID.randomUUID()).then().statusCode(404)
                .body("code", equalTo("subscription_not_found"));
    }
}
