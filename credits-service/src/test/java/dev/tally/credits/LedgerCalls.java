package dev.tally.credits;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.contracts.Events;
import dev.tally.contracts.subscriptions.TopupPurchased;
import dev.tally.testsupport.TestEvents;
import dev.tally.testsupport.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** The ledger tests' calls: a top-up published, a debit posted, a balance awaited. */
final class LedgerCalls {
    private LedgerCalls() {
    }

    static void topup(ObjectMapper json, String acc, UUID purchase, long credits, String eventId) throws Exception {
        TestEvents.publish(eventId, Events.TOPUP_PURCHASED, acc, acc,
                json.writeValueAsString(new TopupPurchased(purchase, acc, "pack-500", credits, 500, "USD", Instant.now())));
    }

    static void awaitBalance(String acc, long expected) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().header("Authorization", TestTokens.bearer(TestTokens.service()))
                .get("/accounts/{id}/credits", acc).then().statusCode(200).body("available", equalTo((int) expected)));
    }

    static Response debit(String acc, long amount, String key) {
        var request = given().header("Authorization", TestTokens.bearer(TestTokens.service())).contentType(ContentType.JSON)
                .body("{\"amount\":" + amount + ",\"reason\":\"render\"}");
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request.post("/accounts/{id}/credits/debits", acc);
    }

    static String account() {
        return "acc-" + UUID.randomUUID();
    }
}
