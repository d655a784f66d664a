package dev.tally.subscriptions;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.contracts.Events;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.Overage;
import dev.tally.contracts.plans.PlanPrice;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.testsupport.TallyInfraResource;
import dev.tally.testsupport.TestEvents;
import dev.tally.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "subscriptions"))
class CatalogReadModelTest {

    @Inject
    ObjectMapper json;

    @Test
    void aPlanPublishedOnThePlansTopicReachesThisServicesCatalogOnceAndItsNewerVersionReplacesIt() throws Exception {
        String code = "plus-" + UUID.randomUUID().toString().substring(0, 6);
        String v1 = json.writeValueAsString(plan(code, 1, 1000));
        String eventId = TestEvents.publish(Events.PLAN_PUBLISHED, code, code, v1);
        TestEvents.publish(eventId, Events.PLAN_PUBLISHED, code, code, v1); // delivered twice
        TestEvents.publish(Events.PLAN_PUBLISHED, code, code, json.writeValueAsString(plan(code, 2, 1200)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given()
                .header("Authorization", TestTokens.bearer(TestTokens.service())).get("/catalog/plans")
                .then().statusCode(200)
                .body("findAll { it.code == '" + code + "' }.size()", equalTo(1))
                .body("find { it.code == '" + code + "' }.version", equalTo(2))
                .body("find { it.code == '" + code + "' }.prices[0].amountMinor", equalTo(1200)));
    }

    @Test
    void anAccountStartsOnTheDefaultFreePlanOnFirstUseAndOnlyOnce() throws Exception {
        var free = new PlanSnapshot("free", 1, "Free", "", 0, true, true, List.of(), 0, BillingInterval.MONTH, 100, 1,
                List.of(), Overage.block(), PlanSnapshot.PlanStatus.PUBLISHED, Instant.now());
        TestEvents.publish(Events.PLAN_PUBLISHED, "free", "free", json.writeValueAsString(free));
        String acc = "acc-" + UUID.randomUUID();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given()
                .header("Authorization", TestTokens.bearer(TestTokens.account(acc))).get("/accounts/{id}/subscription", acc)
                .then().statusCode(200).body("planCode", equalTo("free")).body("credits.dailyCredits", equalTo(100))
                .body("status", equalTo("ACTIVE")));
        String id = given().header("Authorization", TestTokens.bearer(TestTokens.account(acc)))
                .get("/accounts/{id}/subscription", acc).then().extract().path("subscriptionId");
        given().header("Authorization", TestTokens.bearer(TestTokens.service())).post("/accounts/{id}/subscription", acc)
                .then().statusCode(201).body("subscriptionId", equalTo(id));
    }

    @Test
    void theServiceIsReadyAgainstItsDatabaseAndTheBroker() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    private static PlanSnapshot plan(String code, int version, long monthly) {
        return new PlanSnapshot(code, version, "Plus", "For creators", 10, true, false,
                List.of(new PlanPrice(BillingInterval.MONTH, monthly, "USD", null)), 1000, BillingInterval.MONTH, 0, 1,
                List.of("pro-models"), Overage.block(), PlanSnapshot.PlanStatus.PUBLISHED, Instant.now());
    }
}
