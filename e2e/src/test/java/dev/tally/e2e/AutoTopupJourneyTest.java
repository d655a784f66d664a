package dev.tally.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.e2e.Suite.Service;
import dev.tally.testsupport.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Auto top-up over HTTP on the running suite (issue 21): an account sets its own auto top-up;
 * concurrent debits take its balance below the threshold and one pack is bought through the local
 * sandbox and granted once, after the payment settled; an account whose payments the sandbox
 * declines gets an email per failed payment and, after its maxFailures in a row, auto top-up off.
 */
class AutoTopupJourneyTest {
    private final Suite suite = Suite.get();

    private RequestSpecification as(Service s, String token) {
        return given().baseUri(suite.url(s)).header("Authorization", TestTokens.bearer(token)).contentType(ContentType.JSON);
    }

    private long available(String acc) {
        return as(Service.CREDITS, TestTokens.account(acc)).get("/accounts/{id}/credits", acc).then().statusCode(200)
                .extract().jsonPath().getLong("available");
    }

    private void grant(String acc, long credits) {
        as(Service.CREDITS, TestTokens.admin()).header("Idempotency-Key", UUID.randomUUID().toString())
                .body("{\"credits\":" + credits + ",\"reason\":\"journey\"}").post("/accounts/{id}/credits/grants", acc).then().statusCode(201);
    }

    private void debit(String acc, long amount) {
        as(Service.CREDITS, TestTokens.account(acc)).header("Idempotency-Key", UUID.randomUUID().toString())
                .body("{\"amount\":" + amount + ",\"reason\":\"render\"}").post("/accounts/{id}/credits/debits", acc).then().statusCode(201);
    }

    /** The account's own token sets it: below {@code threshold} buy pack-500 (500 credits, 5.00 USD), at most 50.00 a month. */
    private void setAutoTopup(String acc, long threshold, int maxFailures) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> as(Service.CREDITS, TestTokens.account(acc))
                .body("{\"threshold\":" + threshold + ",\"packCode\":\"pack-500\",\"monthlyCapMinor\":5000,\"currency\":\"USD\",\"maxFailures\":"
                        + maxFailures + "}")
                .put("/accounts/{id}/credits/auto-topup", acc).then().statusCode(200).body("enabled", equalTo(true)));
    }

    private void started(String acc) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> as(Service.SUBSCRIPTIONS, TestTokens.account(acc))
                .get("/accounts/{id}/subscription", acc).then().statusCode(200));
        // and credits-service has applied subscription.started (the Free plan's 100 daily credits), so that a balance
        // read after this is not overtaken by them
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> as(Service.CREDITS, TestTokens.account(acc))
                .get("/accounts/{id}/credits", acc).then().statusCode(200).body("available", equalTo(100)));
    }

    @Test
    void concurrentDebitsCrossingTheThresholdBuyOnePackGrantedOnceAfterThePaymentSettles() throws Exception {
        String acc = "acc-" + UUID.randomUUID();
        started(acc);
        grant(acc, 300);
        long before = available(acc);
        setAutoTopup(acc, before - 100, 3);
        var threads = Executors.newFixedThreadPool(10);
        List<CompletableFuture<Void>> debits = IntStream.range(0, 10).mapToObj(i -> CompletableFuture.runAsync(() -> debit(acc, 20), threads)).toList();
        debits.forEach(CompletableFuture::join); // 200 spent: the balance went below before - 100 once
        threads.shutdown();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> as(Service.CREDITS, TestTokens.account(acc)).get("/accounts/{id}/credits", acc)
                .then().body("byBucket.TOPUP", equalTo(500)).body("available", equalTo((int) (before - 200 + 500))));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> as(Service.CREDITS, TestTokens.account(acc)).get("/accounts/{id}/credits/auto-topup", acc)
                .then().statusCode(200).body("inFlight", nullValue()).body("spentThisMonthMinor", equalTo(500)).body("failuresInRow", equalTo(0)));
        Thread.sleep(2_000); // what a second request or grant would need: none comes
        List<Object> topups = as(Service.CREDITS, TestTokens.account(acc)).get("/accounts/{id}/credits/ledger", acc).then().statusCode(200)
                .extract().jsonPath().getList("findAll { it.bucket == 'TOPUP' && it.amount > 0 }");
        assertEquals(1, topups.size(), "one top-up granted: " + topups);
        as(Service.SUBSCRIPTIONS, TestTokens.account(acc)).get("/accounts/{id}/charges", acc).then().statusCode(200)
                .body("findAll { it.kind == 'TOPUP' }.size()", equalTo(1)).body("[0].packCode", equalTo("pack-500"))
                .body("[0].amountMinor", equalTo(500));
    }

    @Test
    void declinedPaymentsAreEmailedAndAfterMaxFailuresInARowSwitchAutoTopUpOff() {
        String acc = "acc-declines-" + UUID.randomUUID();
        started(acc);
        grant(acc, 300);
        long before = available(acc);
        long threshold = before - 100;
        setAutoTopup(acc, threshold, 2);
        for (int failure = 1; failure <= 2; failure++) {
            debit(acc, 150); // below the threshold: one top-up asked, and declined
            int expected = failure;
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> as(Service.CREDITS, TestTokens.account(acc))
                    .get("/accounts/{id}/credits/auto-topup", acc).then().statusCode(200)
                    .body("failuresInRow", equalTo(expected)).body("inFlight", nullValue()).body("enabled", equalTo(expected < 2)));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(expected, as(Service.SUBSCRIPTIONS, TestTokens.admin())
                    .queryParam("accountId", acc).get("/admin/notifications").then().statusCode(200).extract().jsonPath()
                    .getList("findAll { it.kind == 'auto-topup-failed' }").size()));
            grant(acc, 150); // back above the threshold for the next crossing
        }
        as(Service.CREDITS, TestTokens.account(acc)).get("/accounts/{id}/credits/auto-topup", acc).then()
                .body("enabled", equalTo(false)).body("disabledReason", equalTo("payment_failures"));
        as(Service.SUBSCRIPTIONS, TestTokens.account(acc)).get("/accounts/{id}/charges", acc).then().statusCode(200)
                .body("kind", org.hamcrest.Matchers.not(hasItem("TOPUP")));
        assertEquals(before - 300 + 300, available(acc), "nothing granted by a declined payment");
    }
}
