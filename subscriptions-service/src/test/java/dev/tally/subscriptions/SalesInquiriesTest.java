package dev.tally.subscriptions;

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
import dev.tally.testsupport.TestEvents;
import dev.tally.testsupport.TestTokens;
import io.quarkus.mailer.MockMailbox;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Enterprise sales inquiries (issue 17): admins read them, by account; each is emailed to the
 * configured sales address and announced as {@code sales-inquiry.received}, with the inquiry.
 */
@QuarkusTest
@TestProfile(NeighboursStub.class)
class SalesInquiriesTest {
    private static final String SALES = "sales@tally.local";

    @Inject
    ObjectMapper json;

    @Inject
    Pool pool;

    @Inject
    MockMailbox mailbox;

    @BeforeEach
    void enterpriseOnSale() throws Exception {
        var enterprise = new PlanSnapshot("enterprise", 1, "Enterprise", "", 30, false, false,
                List.of(new PlanPrice(BillingInterval.MONTH, 10000, "USD", null)), 50000, BillingInterval.MONTH, 0, 1, List.of(),
                Overage.block(), PlanSnapshot.PlanStatus.PUBLISHED, Instant.now());
        TestEvents.publish(Events.PLAN_PUBLISHED, "enterprise", "enterprise", json.writeValueAsString(enterprise));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> as(TestTokens.service()).get("/catalog/plans").then()
                .body("code", Matchers.hasItem("enterprise")));
    }

    @Test
    void anInquiryIsListedForAdminsByAccountEmailedToSalesAndAnnounced() {
        String acc = "acc-" + UUID.randomUUID();
        String other = "acc-" + UUID.randomUUID();
        String id = inquire(acc, "we need 40 seats").then().statusCode(201).extract().path("inquiryId");
        inquire(other, null).then().statusCode(201);

        as(TestTokens.admin()).queryParam("accountId", acc).get("/admin/sales-inquiries").then().statusCode(200)
                .body("size()", Matchers.equalTo(1)).body("[0].id", Matchers.equalTo(id)).body("[0].accountId", Matchers.equalTo(acc))
                .body("[0].planCode", Matchers.equalTo("enterprise")).body("[0].contactEmail", Matchers.equalTo("cto@" + acc + ".example"))
                .body("[0].message", Matchers.equalTo("we need 40 seats")).body("[0].receivedAt", Matchers.notNullValue());
        as(TestTokens.admin()).get("/admin/sales-inquiries").then().statusCode(200)
                .body("accountId", Matchers.hasItems(acc, other));
        as(TestTokens.account(acc)).get("/admin/sales-inquiries").then().statusCode(403);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertTrue(mailbox.getMailsSentTo(SALES).stream()
                .anyMatch(m -> m.getSubject().contains(acc) && m.getText().contains("we need 40 seats")
                        && m.getText().contains("cto@" + acc + ".example")), "sales is emailed the inquiry"));
        assertEquals(1, count("SELECT count(*) FROM outbox_event WHERE subject = $1 AND type = $2 AND payload->>'inquiryId' = $3",
                acc, Events.SALES_INQUIRY_RECEIVED.name(), id), "announced as sales-inquiry.received");
    }

    @Test
    void aSelfServePlanIsNotAnInquiryAndNothingIsSent() throws Exception {
        var plus = new PlanSnapshot("plus", 1, "Plus", "", 10, true, false, List.of(new PlanPrice(BillingInterval.MONTH, 1000, "USD", null)),
                1000, BillingInterval.MONTH, 0, 1, List.of(), Overage.block(), PlanSnapshot.PlanStatus.PUBLISHED, Instant.now());
        TestEvents.publish(Events.PLAN_PUBLISHED, "plus", "plus", json.writeValueAsString(plus));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> as(TestTokens.service()).get("/catalog/plans").then()
                .body("code", Matchers.hasItem("plus")));
        String acc = "acc-" + UUID.randomUUID();
        as(TestTokens.account(acc)).header("Idempotency-Key", UUID.randomUUID().toString())
                .body("{\"planCode\":\"plus\",\"contactEmail\":\"a@b.example\"}").post("/accounts/{id}/sales-inquiries", acc).then()
                .statusCode(422).body("code", Matchers.equalTo("self_serve_plan"));
        as(TestTokens.admin()).queryParam("accountId", acc).get("/admin/sales-inquiries").then().body("size()", Matchers.equalTo(0));
        assertEquals(0, count("SELECT count(*) FROM notification WHERE account_id = $1", acc));
    }

    private static io.restassured.response.Response inquire(String acc, String message) {
        String body = "{\"planCode\":\"enterprise\",\"contactEmail\":\"cto@" + acc + ".example\""
                + (message == null ? "" : ",\"message\":\"" + message + "\"") + "}";
        return as(TestTokens.account(acc)).header("Idempotency-Key", UUID.randomUUID().toString()).body(body)
                .post("/accounts/{id}/sales-inquiries", acc);
    }

    private static io.restassured.specification.RequestSpecification as(String token) {
        return given().header("Authorization", TestTokens.bearer(token)).contentType(ContentType.JSON);
    }

    private long count(String sql, Object... args) {
        return pool.preparedQuery(sql).execute(Tuple.from(List.of(args))).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }
}
