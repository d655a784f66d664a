package dev.tally.subscriptions;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import dev.tally.contracts.Events;
import dev.tally.contracts.credits.UsageClosed;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.CreditPackSnapshot;
import dev.tally.contracts.plans.Overage;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.testsupport.TestEvents;
import dev.tally.testsupport.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One list of what the account paid (issue 17): a top-up purchase is a line of
 * {@code GET /accounts/{id}/charges} with its pack, amount and payment reference, and a closed
 * period's overage carries its payment reference like a renewal does.
 */
@QuarkusTest
@TestProfile(NeighboursStub.class)
class ChargesListTest {
    @Inject
    ObjectMapper json;

    @BeforeEach
    void catalog() throws Exception {
        TestEvents.publish(Events.PLAN_PUBLISHED, "free", "free", json.writeValueAsString(new PlanSnapshot("free", 1, "Free", "", 0, true,
                true, List.of(), 0, BillingInterval.MONTH, 100, 1, List.of(), Overage.block(), PlanSnapshot.PlanStatus.PUBLISHED, Instant.now())));
        var pack = new CreditPackSnapshot("pack-500", "500 credits", 500, 700, "USD", null, PlanSnapshot.PlanStatus.PUBLISHED);
        TestEvents.publish(Events.CREDIT_PACK_PUBLISHED, pack.code(), pack.code(), json.writeValueAsString(pack));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> as(TestTokens.service()).get("/catalog/plans").then()
                .body("code", Matchers.hasItem("free")));
    }

    @Test
    void aTopupIsListedWithItsPackAmountAndPaymentReference() {
        String acc = "acc-" + UUID.randomUUID();
        // each try with its own key: the pack reaches the catalog read model from Kafka a moment after it is published
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> as(TestTokens.account(acc)).header("Idempotency-Key", UUID.randomUUID().toString())
                .body("{\"packCode\":\"pack-500\"}").post("/accounts/{id}/topups", acc).then().statusCode(201));
        JsonPath charges = as(TestTokens.account(acc)).get("/accounts/{id}/charges", acc).then().statusCode(200).extract().jsonPath();
        assertEquals(1, charges.getList("$").size());
        Map<String, Object> line = charges.getMap("[0]");
        assertEquals("TOPUP", line.get("kind"));
        assertEquals("topup", line.get("paidFor"));
        assertEquals("pack-500", line.get("packCode"));
        assertEquals(500, line.get("packCredits"));
        assertEquals(700, line.get("amountMinor"));
        assertEquals("USD", line.get("currency"));
        assertEquals(null, line.get("periodStart"), "a pack covers no period");
        org.junit.jupiter.api.Assertions.assertTrue(((String) line.get("paymentRef")).startsWith("local_"), "the sandbox's reference: "
                + line.get("paymentRef"));
    }

    @Test
    void theListIsReadInPagesNewestFirst() {
        String acc = "acc-" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> as(TestTokens.account(acc)).header("Idempotency-Key", UUID.randomUUID().toString())
                    .body("{\"packCode\":\"pack-500\"}").post("/accounts/{id}/topups", acc).then().statusCode(201));
        }
        java.util.List<Long> all = as(TestTokens.account(acc)).get("/accounts/{id}/charges", acc).then().statusCode(200)
                .extract().jsonPath().getList("id", Long.class);
        assertEquals(3, all.size());
        java.util.List<Long> paged = new java.util.ArrayList<>();
        long before = Long.MAX_VALUE;
        for (int page = 0; page < 3; page++) {
            java.util.List<Long> ids = as(TestTokens.account(acc)).get("/accounts/{id}/charges?limit=2&before=" + before, acc).then()
                    .statusCode(200).extract().jsonPath().getList("id", Long.class);
            paged.addAll(ids);
            if (ids.size() < 2) {
                break;
            }
            before = ids.get(ids.size() - 1);
        }
        assertEquals(all, paged, "two pages of at most 2 give the same lines, newest first");
        as(TestTokens.account(acc)).get("/accounts/{id}/charges?limit=0", acc).then().statusCode(400);
    }

    @Test
    void closedOverageIsListedWithItsPeriodAndPaymentReference() throws Exception {
        String acc = "acc-" + UUID.randomUUID();
        Instant end = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        var usage = new UsageClosed(UUID.randomUUID(), acc, end.minus(Duration.ofDays(30)), end, 6500, 1500, 150, "USD", end);
        TestEvents.publish(Events.USAGE_CLOSED, acc, acc, json.writeValueAsString(usage));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> as(TestTokens.account(acc)).get("/accounts/{id}/charges", acc).then()
                .body("size()", Matchers.equalTo(1)).body("[0].kind", Matchers.equalTo("OVERAGE"))
                .body("[0].paidFor", Matchers.equalTo("overage")).body("[0].amountMinor", Matchers.equalTo(150))
                .body("[0].periodEnd", Matchers.equalTo(end.toString()))
                .body("[0].paymentRef", Matchers.startsWith("local_")));
    }

    private static io.restassured.specification.RequestSpecification as(String token) {
        return given().header("Authorization", TestTokens.bearer(token)).contentType(ContentType.JSON);
    }
}
