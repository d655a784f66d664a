package dev.tally.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.tally.e2e.Suite.Service;
import dev.tally.testsupport.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Seed journeys over HTTP only: upgrade immediately and see credits allocated and a new period;
 * schedule a downgrade, try to cancel (refused), cancel the pending change, cancel, resume, cancel
 * again, cross the period end (the scheduler fires) and see the revert to Free with subscription
 * credits forfeited, the paid features gone and the bought top-up credits kept.
 */
class PlanChangeJourneyTest {
    private final Suite suite = Suite.get();

    private Response post(String acc, String path, String body) {
        var r = given().baseUri(suite.url(Service.SUBSCRIPTIONS)).header("Authorization", TestTokens.bearer(TestTokens.account(acc)))
                .header("Idempotency-Key", UUID.randomUUID().toString()).contentType(ContentType.JSON);
        return (body == null ? r : r.body(body)).post("/accounts/{id}/subscription" + path, acc);
    }

    @Test
    void upgradeImmediatelyThenScheduleADowngradeCancelAndResume() {
        String acc = "acc-" + UUID.randomUUID();
        String token = TestTokens.bearer(TestTokens.account(acc));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().baseUri(suite.url(Service.SUBSCRIPTIONS))
                .header("Authorization", token).get("/accounts/{id}/subscription", acc).then().statusCode(200).body("planCode", equalTo("free")));

        given().baseUri(suite.url(Service.SUBSCRIPTIONS)).header("Authorization", token).contentType(ContentType.JSON)
                .header("Idempotency-Key", "buy-" + acc).body("{\"packCode\":\"pack-500\"}").post("/accounts/{id}/topups", acc)
                .then().statusCode(201).body("credits", equalTo(500));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().baseUri(suite.url(Service.CREDITS))
                .header("Authorization", token).get("/accounts/{id}/credits", acc).then().body("byBucket.TOPUP", equalTo(500)));

        String previewId = post(acc, "/previews", "{\"planCode\":\"pro\",\"interval\":\"MONTH\"}").then().statusCode(200)
                .body("direction", equalTo("UPGRADE")).body("timing", equalTo("IMMEDIATE")).body("chargeMinor", equalTo(3000))
                .body("payNowMinor", equalTo(3000)).body("credits.granted", equalTo(5000)).body("credits.forfeited", equalTo(0))
                .extract().path("previewId");
        post(acc, "/changes", "{\"previewId\":\"" + previewId + "\"}").then().statusCode(200).body("toPlan", equalTo("pro"));
        given().baseUri(suite.url(Service.SUBSCRIPTIONS)).header("Authorization", token).get("/accounts/{id}/subscription", acc)
                .then().body("planCode", equalTo("pro")).body("features", hasItem("team-collaboration")).body("seats", equalTo(5));
        post(acc, "/changes", "{\"previewId\":\"" + previewId + "\"}").then().statusCode(409).body("code", equalTo("preview_stale"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().baseUri(suite.url(Service.CREDITS))
                .header("Authorization", token).get("/accounts/{id}/credits", acc).then().body("byBucket.SUBSCRIPTION", equalTo(5000)));

        post(acc, "/changes", "{\"planCode\":\"plus\",\"interval\":\"MONTH\",\"timing\":\"IMMEDIATE\"}").then().statusCode(422)
                .body("code", equalTo("timing_not_allowed"));
        post(acc, "/changes", "{\"planCode\":\"plus\",\"interval\":\"MONTH\"}").then().statusCode(200).body("timing", equalTo("END_OF_PERIOD"));
        given().baseUri(suite.url(Service.SUBSCRIPTIONS)).header("Authorization", token).get("/accounts/{id}/subscription", acc)
                .then().body("planCode", equalTo("pro")).body("pendingChange.planCode", equalTo("plus"));
        post(acc, "/cancel", null).then().statusCode(409).body("code", equalTo("pending_change_blocks_cancel"));
        given().baseUri(suite.url(Service.SUBSCRIPTIONS)).header("Authorization", token).delete("/accounts/{id}/subscription/pending-change", acc)
                .then().statusCode(200).body("pendingChange", nullValue());
        post(acc, "/cancel", null).then().statusCode(200).body("cancelAtPeriodEnd", equalTo(true));
        post(acc, "/cancel", null).then().statusCode(409).body("code", equalTo("already_cancelled"));
        post(acc, "/resume", null).then().statusCode(200).body("cancelAtPeriodEnd", equalTo(false));
        post(acc, "/resume", null).then().statusCode(409).body("code", equalTo("nothing_to_resume"));
        post(acc, "/cancel", null).then().statusCode(200).body("cancelAtPeriodEnd", equalTo(true)).body("periodEnd", notNullValue());

        // cross the period end: the scheduler fires, the account reverts to Free, subscription credits are forfeited
        suite.advanceClock(Duration.ofDays(32));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().baseUri(suite.url(Service.SUBSCRIPTIONS))
                .header("Authorization", token).get("/accounts/{id}/subscription", acc)
                .then().body("planCode", equalTo("free")).body("cancelAtPeriodEnd", equalTo(false))
                .body("features", org.hamcrest.Matchers.empty()));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().baseUri(suite.url(Service.CREDITS))
                .header("Authorization", token).get("/accounts/{id}/credits", acc)
                .then().body("byBucket.SUBSCRIPTION", nullValue()).body("byBucket.DAILY", equalTo(100))
                .body("byBucket.TOPUP", equalTo(500)));
    }

    @Test
    void twoConcurrentConfirmationsOfOnePreviewCannotBothWin() throws Exception {
        String acc = "acc-" + UUID.randomUUID();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().baseUri(suite.url(Service.SUBSCRIPTIONS))
                .header("Authorization", TestTokens.bearer(TestTokens.account(acc))).get("/accounts/{id}/subscription", acc)
                .then().statusCode(200));
        String previewId = post(acc, "/previews", "{\"planCode\":\"plus\",\"interval\":\"MONTH\"}").then().statusCode(200)
                .extract().path("previewId");
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        var calls = java.util.stream.IntStream.range(0, 4).mapToObj(i -> java.util.concurrent.CompletableFuture.supplyAsync(
                () -> post(acc, "/changes", "{\"previewId\":\"" + previewId + "\"}").statusCode(), pool)).toList();
        var statuses = calls.stream().map(java.util.concurrent.CompletableFuture::join).sorted().toList();
        pool.shutdown();
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of(200, 409, 409, 409), statuses,
                "the row lock and the revision let exactly one confirmation of the preview apply");
        given().baseUri(suite.url(Service.SUBSCRIPTIONS)).header("Authorization", TestTokens.bearer(TestTokens.account(acc)))
                .get("/accounts/{id}/charges", acc).then().body("size()", equalTo(1));
    }

    @Test
    void moreConcurrentFirstChangesThanTheServiceHasDatabaseConnectionsAllComplete() {
        // 60 accounts on their first request each (start on Free, then upgrade) at once, more than the
        // pool's 20 connections: no transaction may wait for a second connection that the others hold
        var pool = java.util.concurrent.Executors.newFixedThreadPool(60);
        var calls = java.util.stream.IntStream.range(0, 60).mapToObj(i -> "acc-" + UUID.randomUUID())
                .map(acc -> java.util.concurrent.CompletableFuture.supplyAsync(() -> post(acc, "/changes",
                        "{\"planCode\":\"plus\",\"interval\":\"MONTH\",\"timing\":\"IMMEDIATE\"}").statusCode(), pool))
                .toList();
        var statuses = calls.stream().map(java.util.concurrent.CompletableFuture::join).toList();
        pool.shutdown();
        org.junit.jupiter.api.Assertions.assertEquals(java.util.Collections.nCopies(60, 200), statuses);
    }

    @Test
    void badChangesAreRefusedWithTheirOwnCodes() {
        String acc = "acc-" + UUID.randomUUID();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().baseUri(suite.url(Service.SUBSCRIPTIONS))
                .header("Authorization", TestTokens.bearer(TestTokens.account(acc))).get("/accounts/{id}/subscription", acc)
                .then().statusCode(200));
        post(acc, "/changes", "{\"planCode\":\"nope\"}").then().statusCode(404).body("code", equalTo("plan_not_found"));
        post(acc, "/changes", "{\"planCode\":\"free\",\"interval\":\"MONTH\"}").then().statusCode(422).body("code", equalTo("same_plan"));
        post(acc, "/changes", "{\"planCode\":\"enterprise\"}").then().statusCode(403).body("code", equalTo("contact_sales_required"));
        given().baseUri(suite.url(Service.SUBSCRIPTIONS)).header("Authorization", TestTokens.bearer(TestTokens.account(acc)))
                .contentType(ContentType.JSON).body("{\"planCode\":\"enterprise\",\"contactEmail\":\"cto@example.com\",\"message\":\"50 seats\"}")
                .post("/accounts/{id}/sales-inquiries", acc).then().statusCode(201).body("planCode", equalTo("enterprise"));
        given().baseUri(suite.url(Service.SUBSCRIPTIONS)).header("Authorization", TestTokens.bearer(TestTokens.account(acc)))
                .contentType(ContentType.JSON).body("{\"planCode\":\"enterprise\",\"contactEmail\":\"not-an-email\"}")
                .post("/accounts/{id}/sales-inquiries", acc).then().statusCode(400).body("errors[0].field", equalTo("contactEmail"));
        post(acc, "/changes", "{\"planCode\":\"plus\",\"interval\":\"WEEK\"}").then().statusCode(400).body("errors[0].field", equalTo("interval"));
        post(acc, "/changes", "{}").then().statusCode(400).body("errors[0].field", equalTo("planCode"));
        post(acc, "/cancel", null).then().statusCode(409).body("code", equalTo("free_plan_not_cancellable"));
        post(acc, "/resume", null).then().statusCode(409).body("code", equalTo("nothing_to_resume"));
        given().baseUri(suite.url(Service.SUBSCRIPTIONS)).header("Authorization", TestTokens.bearer(TestTokens.account(acc)))
                .delete("/accounts/{id}/subscription/pending-change", acc).then().statusCode(409).body("code", equalTo("no_pending_change"));
    }
}
