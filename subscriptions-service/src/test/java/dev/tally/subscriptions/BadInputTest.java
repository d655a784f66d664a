package dev.tally.subscriptions;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.contracts.Events;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.Overage;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.testsupport.TallyInfraResource;
import dev.tally.testsupport.TestEvents;
import dev.tally.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Bad input to subscription routes: a 4xx problem+json naming the field, and the subscription and charges untouched. */
@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "subscriptions"))
class BadInputTest {
    @Inject
    ObjectMapper json;

    private static RequestSpecification as(String acc) {
        return given().header("Authorization", TestTokens.bearer(TestTokens.account(acc))).contentType(ContentType.JSON);
    }

    private String onFree() throws Exception {
        var free = new PlanSnapshot("free", 1, "Free", "", 0, true, true, List.of(), 0, BillingInterval.MONTH, 100, 1,
                List.of(), Overage.block(), PlanSnapshot.PlanStatus.PUBLISHED, Instant.now());
        TestEvents.publish(Events.PLAN_PUBLISHED, "free", "free", json.writeValueAsString(free));
        String acc = "acc-" + UUID.randomUUID();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> as(acc).get("/accounts/{id}/subscription", acc)
                .then().statusCode(200).body("planCode", equalTo("free")));
        return acc;
    }

    private static void untouched(String acc) {
        as(acc).get("/accounts/{id}/subscription", acc).then().statusCode(200)
                .body("planCode", equalTo("free")).body("pendingChange", equalTo(null));
        as(acc).get("/accounts/{id}/charges", acc).then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void aRefusedChangeNamesTheFieldAtFault() throws Exception {
        String acc = onFree();
        String previews = "/accounts/{id}/subscription/previews";
        as(acc).body("{\"planCode\":\"no-such-plan\"}").post(previews, acc).then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("plan_not_found"))
                .body("errors[0].field", equalTo("planCode"));
        as(acc).body("{\"planCode\":\"free\",\"interval\":\"MONTH\"}").post(previews, acc).then().statusCode(422)
                .contentType("application/problem+json").body("code", equalTo("same_plan"))
                .body("errors.field", containsInAnyOrder("planCode", "interval"));
        as(acc).body("{\"previewId\":\"" + UUID.randomUUID() + "\"}").post("/accounts/{id}/subscription/changes", acc)
                .then().statusCode(404).contentType("application/problem+json").body("code", equalTo("preview_not_found"))
                .body("errors[0].field", equalTo("previewId"));
        untouched(acc);
    }

    @Test
    void badBodiesAndIdsAre400NamingTheFieldAndChangeNothing() throws Exception {
        String acc = onFree();
        as(acc).body("{\"planCode\":\"pro\\\"x\"}").post("/accounts/{id}/subscription/previews", acc).then().statusCode(400)
                .body("code", equalTo("invalid_request")).body("errors[0].field", equalTo("planCode"));
        as(acc).body("{\"planCode\":\"pro\",\"interval\":\"WEEK\"}").post("/accounts/{id}/subscription/changes", acc)
                .then().statusCode(400).body("errors[0].field", equalTo("interval")).body("errors[0].code", equalTo("unknown_value"));
        as(acc).body("{\"planCode\":\"enterprise\",\"contactEmail\":\"a@b.example\",\"planCode\":\"x\"}")
                .post("/accounts/{id}/sales-inquiries", acc).then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("planCode"))
                .body("errors[0].code", equalTo("duplicate_key"));
        as(acc).body("{\"packCode\":true}").post("/accounts/{id}/topups", acc).then().statusCode(400)
                .body("errors[0].field", equalTo("packCode"));
        as(acc).body("{\"packCode\":\"pack-500\"}}").post("/accounts/{id}/topups", acc).then().statusCode(400)
                .body("code", equalTo("malformed_json")).body("errors[0].field", equalTo("body"));
        given().urlEncodingEnabled(false).header("Authorization", TestTokens.bearer(TestTokens.service()))
                .get("/accounts/%00/subscription").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("path"));
        given().header("Authorization", TestTokens.bearer(TestTokens.service()))
                .get("/accounts/{id}/subscription", "acc'1").then().statusCode(400).body("errors[0].field", equalTo("accountId"));
        untouched(acc);
    }
}
