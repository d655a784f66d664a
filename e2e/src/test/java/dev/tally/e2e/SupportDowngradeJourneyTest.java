package dev.tally.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.e2e.Suite.Service;
import dev.tally.testsupport.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The instant downgrade a help page sends to support (issue 25), over HTTP on the running suite: an
 * account on Pro cannot downgrade to Plus now (the demo policy allows END_OF_PERIOD only), and is
 * told support can; support does it at once with a reason. The unused Pro time goes to the customer
 * balance, credits-service keeps the Pro credits left and grants Plus's (IMMEDIATE carries them),
 * and the history names the admin and the reason.
 */
class SupportDowngradeJourneyTest {
    private final Suite suite = Suite.get();

    private Response change(String token, String acc, String body) {
        return given().baseUri(suite.url(Service.SUBSCRIPTIONS)).header("Authorization", TestTokens.bearer(token))
                .header("Idempotency-Key", UUID.randomUUID().toString()).contentType(ContentType.JSON).body(body)
                .post("/accounts/{id}/subscription/changes", acc);
    }

    private Response get(Service service, String path, String acc) {
        return given().baseUri(suite.url(service)).header("Authorization", TestTokens.bearer(TestTokens.admin())).get(path, acc);
    }

    @Test
    void supportDowngradesAnAccountAtOnceWithAReason() {
        String acc = "acc-" + UUID.randomUUID();
        String own = TestTokens.account(acc);
        change(own, acc, "{\"planCode\":\"pro\",\"interval\":\"MONTH\"}").then().statusCode(200).body("toPlan", equalTo("pro"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> get(Service.CREDITS, "/accounts/{id}/credits", acc).then()
                .body("byBucket.SUBSCRIPTION", equalTo(5000)));

        change(own, acc, "{\"planCode\":\"plus\",\"interval\":\"MONTH\",\"timing\":\"IMMEDIATE\"}").then().statusCode(422)
                .body("code", equalTo("timing_not_allowed")).body("detail", containsString("Support can make this change"));
        change(TestTokens.admin(), acc, "{\"planCode\":\"plus\",\"interval\":\"MONTH\",\"timing\":\"IMMEDIATE\"}").then().statusCode(400)
                .body("errors[0].field", equalTo("reason"));
        JsonPath done = change(TestTokens.admin(), acc, "{\"planCode\":\"plus\",\"interval\":\"MONTH\",\"timing\":\"IMMEDIATE\","
                + "\"reason\":\"instant downgrade, ticket 4711\"}").then().statusCode(200).body("timing", equalTo("IMMEDIATE"))
                .extract().jsonPath();
        long credit = done.getLong("creditForUnusedMinor");
        assertTrue(credit > 2900 && credit <= 3000, "almost the whole Pro month is unused: " + credit);
        assertEquals(credit - 1000, done.getLong("customerBalanceAfterMinor"));

        get(Service.SUBSCRIPTIONS, "/accounts/{id}/subscription", acc).then().body("planCode", equalTo("plus"));
        get(Service.SUBSCRIPTIONS, "/accounts/{id}/customer-balance", acc).then().body("amountMinor", equalTo((int) (credit - 1000)));
        get(Service.SUBSCRIPTIONS, "/accounts/{id}/subscription/history", acc).then()
                .body("[0].toPlan", equalTo("plus")).body("[0].actedBy", equalTo("ops"))
                .body("[0].reason", equalTo("instant downgrade, ticket 4711"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> get(Service.CREDITS, "/accounts/{id}/credits", acc).then()
                .body("byBucket.SUBSCRIPTION", equalTo(6000))); // the 5000 left are kept, Plus's 1000 granted
    }
}
