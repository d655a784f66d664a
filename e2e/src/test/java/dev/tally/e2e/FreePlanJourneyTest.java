package dev.tally.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.tally.e2e.Suite.Service;
import dev.tally.testsupport.TestTokens;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Seed journey: sign up on Free and spend daily credits over several days. subscriptions-service
 * starts the account on Free and announces it; credits-service learns the plan's daily credits from
 * that event; each new UTC day (moved with the clock endpoints) brings a fresh 100, and what was
 * left of the day before is gone.
 */
class FreePlanJourneyTest {

    @Test
    void anAccountOnFreeSpendsItsDailyCreditsAndGetsNewOnesEachDay() {
        Suite suite = Suite.get();
        String acc = "acc-" + UUID.randomUUID();
        String token = TestTokens.bearer(TestTokens.account(acc));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().baseUri(suite.url(Service.SUBSCRIPTIONS))
                .header("Authorization", token).get("/accounts/{id}/subscription", acc)
                .then().statusCode(200).body("planCode", equalTo("free")));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> balance(suite, acc, token, 100));

        debit(suite, acc, token, 60).then().statusCode(201).body("takenFrom[0].bucket", equalTo("DAILY"));
        debit(suite, acc, token, 50).then().statusCode(402).body("code", equalTo("insufficient_credits"));
        balance(suite, acc, token, 40);

        suite.advanceClock(Duration.ofDays(1));
        balance(suite, acc, token, 100);
        debit(suite, acc, token, 100).then().statusCode(201);
        balance(suite, acc, token, 0);

        suite.advanceClock(Duration.ofDays(2));
        balance(suite, acc, token, 100);
    }

    private static void balance(Suite suite, String acc, String token, int expected) {
        given().baseUri(suite.url(Service.CREDITS)).header("Authorization", token).get("/accounts/{id}/credits", acc)
                .then().statusCode(200).body("available", equalTo(expected));
    }

    private static io.restassured.response.Response debit(Suite suite, String acc, String token, int amount) {
        return given().baseUri(suite.url(Service.CREDITS)).header("Authorization", token).contentType(ContentType.JSON)
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .body("{\"amount\":" + amount + ",\"reason\":\"image\"}").post("/accounts/{id}/credits/debits", acc);
    }
}
