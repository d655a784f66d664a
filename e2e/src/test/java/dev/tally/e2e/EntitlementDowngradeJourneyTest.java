package dev.tally.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.e2e.Suite.Service;
import dev.tally.testsupport.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 22: the entitlement check before and after a downgrade takes effect. On Pro the account has
 * team-collaboration and 5 seats; a downgrade to Plus at the period end changes nothing until then
 * (the answer is valid until that instant); once the period end applies it, Plus's answer is given
 * and entitlements.changed was announced.
 */
class EntitlementDowngradeJourneyTest {
    private final Suite suite = Suite.get();

    private RequestSpecification credits(String token) {
        return given().baseUri(suite.url(Service.CREDITS)).header("Authorization", token);
    }

    @Test
    void theCheckBeforeAndAfterADowngradeTakesEffect() throws Exception {
        String acc = "acc-" + UUID.randomUUID();
        String token = TestTokens.bearer(TestTokens.account(acc));
        var subscriptions = given().baseUri(suite.url(Service.SUBSCRIPTIONS)).header("Authorization", token);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().baseUri(suite.url(Service.SUBSCRIPTIONS))
                .header("Authorization", token).get("/accounts/{id}/subscription", acc).then().statusCode(200));
        subscriptions.contentType(ContentType.JSON).body("{\"planCode\":\"pro\",\"interval\":\"MONTH\"}")
                .post("/accounts/{id}/subscription/changes", acc).then().statusCode(200);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> credits(token).get("/accounts/{id}/entitlements/team-collaboration", acc)
                .then().statusCode(200).body("allowed", equalTo(true)));
        credits(token).queryParam("quantity", 5).get("/accounts/{id}/entitlements/seats", acc).then().body("allowed", equalTo(true));

        given().baseUri(suite.url(Service.SUBSCRIPTIONS)).header("Authorization", token).contentType(ContentType.JSON)
                .body("{\"planCode\":\"plus\",\"interval\":\"MONTH\",\"timing\":\"END_OF_PERIOD\"}")
                .post("/accounts/{id}/subscription/changes", acc).then().statusCode(200);
        Instant periodEnd = Instant.parse(given().baseUri(suite.url(Service.SUBSCRIPTIONS)).header("Authorization", token)
                .get("/accounts/{id}/subscription", acc).then().extract().path("periodEnd"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> credits(token).get("/accounts/{id}/entitlements", acc).then()
                .body("pendingPlanCode", equalTo("plus")).body("pendingEffectiveAt", equalTo(periodEnd.toString())));
        credits(token).get("/accounts/{id}/entitlements/team-collaboration", acc).then().statusCode(200)
                .body("allowed", equalTo(true)).body("validUntil", equalTo(periodEnd.toString()))
                .header("Cache-Control", startsWith("private, max-age="));

        suite.setClock(periodEnd.plusSeconds(1)); // the period end applies the downgrade
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> credits(token).get("/accounts/{id}/entitlements/team-collaboration", acc)
                .then().statusCode(200).body("allowed", equalTo(false)).body("reason", equalTo("not_in_plan")));
        credits(token).get("/accounts/{id}/entitlements/pro-models", acc).then().body("allowed", equalTo(true));
        credits(token).queryParam("quantity", 2).get("/accounts/{id}/entitlements/seats", acc).then()
                .body("allowed", equalTo(false)).body("limit", equalTo(1));
        credits(token).get("/accounts/{id}/entitlements", acc).then().body("planCode", equalTo("plus"))
                .body("features.find { it.feature == 'team-collaboration' }.allowed", equalTo(false));

        List<String> announced = new ArrayList<>();
        try (var db = suite.database(Service.CREDITS); var q = db.prepareStatement("SELECT payload->>'cause', payload->>'planCode', "
                + "payload->>'previousPlanCode' FROM outbox_event WHERE subject = ? AND type = 'entitlements.changed' ORDER BY seq")) {
            q.setString(1, acc);
            try (var rows = q.executeQuery()) {
                while (rows.next()) {
                    announced.add(rows.getString(1) + " " + rows.getString(2) + " " + rows.getString(3));
                }
            }
        }
        assertEquals(List.of("subscription.started free null", "subscription.plan-changed pro free", "subscription.plan-changed plus pro"),
                announced);
    }
}
