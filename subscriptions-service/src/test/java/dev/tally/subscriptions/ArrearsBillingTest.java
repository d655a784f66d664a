package dev.tally.subscriptions;

import static dev.tally.subscriptions.ArrearsHarness.as;
import static dev.tally.subscriptions.ArrearsHarness.post;
import static dev.tally.subscriptions.ArrearsHarness.subscription;
import static dev.tally.subscriptions.ArrearsHarness.upcoming;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.backbone.clock.TallyClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Billing in arrears through the real database and broker: nothing charged at sign-up or on a
 * downgrade, the period's prorated lines computed once at the usage close and readable, usage joining
 * them, collected once on the billing date, whatever is redelivered and in whichever order.
 */
@QuarkusTest
@TestProfile(NeighboursStub.class)
class ArrearsBillingTest {
    private static final Instant APRIL_1 = Instant.parse("2026-04-01T00:00:00Z");

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
    }

    @AfterEach
    void runningClock() {
        clock.reset();
    }

    @Test
    void aDowngradeMidCycleIsInvoicedInTwoProratedPartsAtTheCloseAndCollectedOnceOnTheBillingDate() throws Exception {
        String acc = "acc-" + UUID.randomUUID();
        clock.set(APRIL_1, true);
        JsonPath signUp = post(acc, "changes", "{\"planCode\":\"kong-pro\",\"timing\":\"IMMEDIATE\"}").then().statusCode(200)
                .body("payNowMinor", equalTo(0)).body("billingMode", equalTo("IN_ARREARS")).extract().jsonPath();
        assertEquals(3000, signUp.getLong("nextInvoice.totalMinor"));
        assertEquals(0, arrears.count("SELECT count(*) FROM charge WHERE account_id = $1", acc), "nothing is charged at sign-up");

        clock.set(Instant.parse("2026-04-11T06:00:07Z"), true);
        JsonPath preview = post(acc, "previews", "{\"planCode\":\"kong-plus\",\"timing\":\"IMMEDIATE_PRORATED\"}").then().statusCode(200)
                .body("dueMinor", equalTo(0)).body("payNowMinor", equalTo(0)).extract().jsonPath();
        assertEquals(List.of(1025, 658), preview.getList("nextInvoice.lines.amountMinor"));
        assertEquals("2026-05-01T00:00:00Z", preview.getString("nextInvoice.billingDate"));
        post(acc, "changes", "{\"previewId\":\"" + preview.getString("previewId") + "\"}").then().statusCode(200);
        upcomingIs(acc, "PROJECTED", 1683);

        JsonPath s = subscription(acc);
        clock.set(Instant.parse("2026-04-28T00:00:00Z"), true);
        arrears.usageCloseDue(s);
        arrears.usageCloseDue(s); // the timer fired twice
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> upcomingIs(acc, "COMPUTED", 1683));
        arrears.usageClosed(s, 150);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> upcomingIs(acc, "COMPUTED", 1833));
        as().get("/accounts/{id}/charges", acc).then().body("status", equalTo(List.of("COMPUTED", "COMPUTED", "COMPUTED")))
                .body("amountMinor", equalTo(List.of(150, 658, 1025)));

        clock.set(Instant.parse("2026-05-01T00:00:00Z"), true);
        arrears.periodEnded(s);
        arrears.periodEnded(s); // and the period end too
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> as().get("/accounts/{id}/invoices", acc).then()
                .body("status", equalTo(List.of("COLLECTED"))).body("[0].paidMinor", equalTo(1833)));
        JsonPath charges = as().get("/accounts/{id}/charges", acc).then().extract().jsonPath();
        assertEquals(List.of("COLLECTED", "COLLECTED", "COLLECTED"), charges.getList("status"), "one line per part, no renewal charged ahead");
        assertEquals(List.of("2026-04-11T06:00:07Z", "2026-04-01T00:00:00Z"), charges.getList("findAll { it.kind == 'ARREARS' }.periodStart"));
        assertNotNull(charges.getString("[0].paymentRef"));
        assertEquals("2026-06-01T00:00:00Z", subscription(acc).getString("periodEnd"));
        assertEquals(1, arrears.count("SELECT count(*) FROM invoice WHERE account_id = $1", acc));
        assertEquals(2, arrears.count("SELECT count(*) FROM outbox_event WHERE subject = $1 AND type = 'invoice.computed'", acc),
                "computed once, announced again when the usage joined");
        assertEquals(1, arrears.count("SELECT count(*) FROM outbox_event WHERE subject = $1 AND type = 'invoice.collected'", acc));
        assertEquals(1833, arrears.count("SELECT (payload->>'paidMinor')::bigint FROM outbox_event WHERE subject = $1 "
                + "AND type = 'invoice.collected'", acc));
        upcomingIs(acc, "PROJECTED", 1000);
    }

    @Test
    void usageArrivingBeforeTheCloseComputesTheInvoiceAndACancelledPeriodIsCollectedOnItsEndDateThenFree() throws Exception {
        String acc = "acc-" + UUID.randomUUID();
        clock.set(APRIL_1, true);
        post(acc, "changes", "{\"planCode\":\"kong-plus\",\"timing\":\"IMMEDIATE\"}").then().statusCode(200);
        post(acc, "cancel", "").then().statusCode(200);
        JsonPath s = subscription(acc);
        arrears.usageClosed(s, 40); // credits-service's answer overtook the close
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> upcomingIs(acc, "COMPUTED", 1040));
        arrears.usageCloseDue(s);
        arrears.periodEnded(s);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> as().get("/accounts/{id}/subscription", acc).then()
                .body("planCode", equalTo("free")));
        as().get("/accounts/{id}/invoices", acc).then().body("status", equalTo(List.of("COLLECTED"))).body("[0].totalMinor", equalTo(1040))
                .body("[0].billingDate", equalTo("2026-05-01T00:00:00Z"));
        as().get("/accounts/{id}/invoices/upcoming", acc).then().statusCode(404).body("code", equalTo("no_invoice_in_arrears"));
    }

    @Test
    void aPeriodEndWhoseCloseNeverCameComputesAndCollectsTheInvoiceItself() throws Exception {
        String acc = "acc-" + UUID.randomUUID();
        clock.set(APRIL_1, true);
        post(acc, "changes", "{\"planCode\":\"kong-pro\",\"timing\":\"IMMEDIATE\"}").then().statusCode(200);
        arrears.periodEnded(subscription(acc));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> as().get("/accounts/{id}/invoices", acc).then()
                .body("status", equalTo(List.of("COLLECTED"))).body("[0].paidMinor", equalTo(3000)));
        assertEquals(1, arrears.count("SELECT count(*) FROM outbox_event WHERE subject = $1 AND type = 'invoice.computed'", acc));
    }

    private static void upcomingIs(String acc, String status, long total) {
        JsonPath up = upcoming(acc);
        assertEquals(status, up.getString("status"));
        assertEquals(total, up.getLong("totalMinor"));
    }
}
