package dev.tally.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.tally.e2e.Suite.Service;
import dev.tally.testsupport.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * One test or more per rule of docs/rules.md section 1 under Plans, Changing plan and Cancelling, each
 * named after the rule, through HTTP against the four services, their databases and the broker.
 * Demo catalog: free (rank 0), plus (rank 10, 10.00/month or 100.00/year), pro (rank 20,
 * 30.00/month or 300.00/year), enterprise (rank 100, sold by sales).
 */
class SubscriptionRulesTest {
    private final Suite suite = Suite.get();

    // ---- Plans

    @Test
    void everyAccountStartsOnTheDefaultFreePlan() {
        String acc = newAccount();
        subscriptions(acc).get("/accounts/{id}/subscription", acc).then().statusCode(200)
                .body("planCode", equalTo("free")).body("status", equalTo("ACTIVE")).body("interval", equalTo("MONTH"));
        String other = "acc-" + UUID.randomUUID();
        subscriptions(other).header("Idempotency-Key", "start-" + other).post("/accounts/{id}/subscription", other).then()
                .statusCode(201).body("planCode", equalTo("free"));
        subscriptions(other).header("Idempotency-Key", "start-" + other).post("/accounts/{id}/subscription", other).then()
                .statusCode(201).header("Idempotent-Replayed", "true");
    }

    @Test
    void goingFromFreeToPaidGoesThroughAPaymentStep() {
        String acc = newAccount();
        change(acc, "{\"planCode\":\"plus\",\"interval\":\"MONTH\"}").then().statusCode(200).body("payNowMinor", equalTo(1000));
        subscriptions(acc).get("/accounts/{id}/charges", acc).then().statusCode(200)
                .body("[0].kind", equalTo("NEW_PERIOD")).body("[0].amountMinor", equalTo(1000))
                .body("[0].paymentRef", startsWith("local_"));
    }

    @Test
    void upgradeOrDowngradeIsDecidedByRankNeverByPrice() {
        String acc = newAccount();
        change(acc, "{\"planCode\":\"plus\",\"interval\":\"YEAR\"}").then().statusCode(200);
        // pro monthly (30.00) costs less per period than plus yearly (100.00), but ranks higher
        preview(acc, "{\"planCode\":\"pro\",\"interval\":\"MONTH\"}").then().statusCode(200).body("direction", equalTo("UPGRADE"));
    }

    @Test
    void atTheSameRankMonthlyToYearlyIsAnUpgradeAndYearlyToMonthlyADowngrade() {
        String acc = newAccount();
        change(acc, "{\"planCode\":\"plus\",\"interval\":\"MONTH\"}").then().statusCode(200);
        preview(acc, "{\"planCode\":\"plus\",\"interval\":\"YEAR\"}").then().statusCode(200).body("direction", equalTo("UPGRADE"));
        String yearly = newAccount();
        change(yearly, "{\"planCode\":\"plus\",\"interval\":\"YEAR\"}").then().statusCode(200);
        preview(yearly, "{\"planCode\":\"plus\",\"interval\":\"MONTH\"}").then().statusCode(200)
                .body("direction", equalTo("DOWNGRADE")).body("timing", equalTo("END_OF_PERIOD"));
    }

    @Test
    void movingToANonSelfServePlanIsAContactSalesRequest() {
        String acc = newAccount();
        change(acc, "{\"planCode\":\"enterprise\"}").then().statusCode(403).body("code", equalTo("contact_sales_required"));
        subscriptions(acc).body("{\"planCode\":\"enterprise\",\"contactEmail\":\"cto@example.com\",\"message\":\"40 seats\"}")
                .post("/accounts/{id}/sales-inquiries", acc).then().statusCode(201).body("inquiryId", notNullValue());
        subscriptions(acc).get("/accounts/{id}/subscription", acc).then().body("planCode", equalTo("free"));
    }

    @Test
    void leavingANonSelfServePlanIsForAnAdminOnly() {
        String acc = newAccount();
        as(TestTokens.admin()).body("{\"planCode\":\"enterprise\",\"reason\":\"signed contract\"}").post("/accounts/{id}/subscription/changes", acc)
                .then().statusCode(200).body("toPlan", equalTo("enterprise"));
        change(acc, "{\"planCode\":\"pro\",\"interval\":\"MONTH\",\"timing\":\"END_OF_PERIOD\"}").then().statusCode(403)
                .body("code", equalTo("admin_only"));
        as(TestTokens.admin()).body("{\"planCode\":\"pro\",\"interval\":\"MONTH\",\"timing\":\"END_OF_PERIOD\",\"reason\":\"contract ended\"}")
                .post("/accounts/{id}/subscription/changes", acc).then().statusCode(200).body("toPlan", equalTo("pro"));
    }

    @Test
    void supportMovesAnAccountOffEnterpriseImmediately() {
        String acc = newAccount();
        // until the catalog read model has the demo plans, the change is a 404 plan_not_found that changes nothing
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> as(TestTokens.admin())
                .body("{\"planCode\":\"enterprise\",\"reason\":\"signed contract\"}").post("/accounts/{id}/subscription/changes", acc)
                .then().statusCode(200).body("toPlan", equalTo("enterprise")));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> credits(acc).then().body("byBucket.SUBSCRIPTION", equalTo(100000)));
        change(acc, "{\"planCode\":\"pro\",\"interval\":\"MONTH\",\"timing\":\"IMMEDIATE\"}").then().statusCode(403)
                .body("code", equalTo("admin_only"));
        as(TestTokens.admin()).body("{\"planCode\":\"pro\",\"interval\":\"MONTH\",\"timing\":\"IMMEDIATE\",\"reason\":\"contract ended early\"}")
                .post("/accounts/{id}/subscription/changes", acc).then().statusCode(200)
                .body("toPlan", equalTo("pro")).body("timing", equalTo("IMMEDIATE"));
        subscriptions(acc).get("/accounts/{id}/subscription", acc).then().body("planCode", equalTo("pro")).body("pendingChange", nullValue());
        admin(Service.SUBSCRIPTIONS).get("/accounts/{id}/subscription/history", acc).then()
                .body("[0].toPlan", equalTo("pro")).body("[0].actedBy", equalTo("ops")).body("[0].reason", equalTo("contract ended early"));
        // IMMEDIATE carries the subscription credits left into the new cycle and adds Pro's full grant
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> credits(acc).then().body("byBucket.SUBSCRIPTION", equalTo(105000)));
    }

    @Test
    void subscribersStayOnThePlanVersionTheyBought() {
        String code = "studio-" + UUID.randomUUID().toString().substring(0, 8);
        int rank = 1000 + Math.abs(UUID.randomUUID().hashCode() % 100000);
        publish(code, rank, 4000, 4000);
        String acc = newAccount();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                change(acc, "{\"planCode\":\"" + code + "\",\"interval\":\"MONTH\"}").then().statusCode(200).body("toVersion", equalTo(1)));
        publish(code, rank, 9000, 9000); // version 2
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> subscriptions(acc).get("/catalog/plans/{code}/versions", code)
                .then().statusCode(200).body("version", hasItem(2)));
        suite.advanceClock(Duration.ofDays(32)); // the renewal bills the version bought, not the new price
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> subscriptions(acc).get("/accounts/{id}/charges", acc).then()
                .body("[0].kind", equalTo("RENEWAL")).body("[0].amountMinor", equalTo(4000)));
        subscriptions(acc).get("/accounts/{id}/subscription", acc).then().body("planVersion", equalTo(1));
    }

    @Test
    void anIntervalThePlanIsNotSoldAtIsRefused() {
        String code = "monthly-" + UUID.randomUUID().toString().substring(0, 8);
        publish(code, 1000 + Math.abs(UUID.randomUUID().hashCode() % 100000), 2500, 0);
        String acc = newAccount();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> change(acc, "{\"planCode\":\"" + code + "\",\"interval\":\"YEAR\"}")
                .then().statusCode(422).body("code", equalTo("interval_not_offered")));
        subscriptions(acc).get("/accounts/{id}/subscription", acc).then().body("planCode", equalTo("free"));
    }

    // ---- Changing plan

    @Test
    void immediateStartsTheNewPlanAndANewBillingCycleNow() {
        String acc = newAccount();
        change(acc, "{\"planCode\":\"plus\",\"interval\":\"MONTH\"}").then().statusCode(200);
        suite.advanceClock(Duration.ofDays(10));
        Response r = change(acc, "{\"planCode\":\"pro\",\"interval\":\"MONTH\",\"timing\":\"IMMEDIATE\"}");
        r.then().statusCode(200).body("timing", equalTo("IMMEDIATE"));
        Instant effective = Instant.parse(r.path("effectiveAt"));
        subscriptions(acc).get("/accounts/{id}/subscription", acc).then().body("planCode", equalTo("pro"))
                .body("periodStart", equalTo(effective.toString()))
                .body("periodEnd", equalTo(effective.atOffset(java.time.ZoneOffset.UTC).plusMonths(1).toInstant().toString()));
    }

    @Test
    void endOfPeriodAppliesAtThePeriodEndWithNoChargeUntilThen() {
        String acc = newAccount();
        change(acc, "{\"planCode\":\"pro\",\"interval\":\"MONTH\"}").then().statusCode(200);
        String periodEnd = subscriptions(acc).get("/accounts/{id}/subscription", acc).path("periodEnd");
        change(acc, "{\"planCode\":\"plus\",\"interval\":\"MONTH\"}").then().statusCode(200)
                .body("timing", equalTo("END_OF_PERIOD")).body("payNowMinor", equalTo(0)).body("effectiveAt", equalTo(periodEnd));
        subscriptions(acc).get("/accounts/{id}/charges", acc).then().body("size()", equalTo(1));
        subscriptions(acc).get("/accounts/{id}/subscription", acc).then().body("planCode", equalTo("pro"))
                .body("pendingChange.planCode", equalTo("plus")).body("pendingChange.effectiveAt", equalTo(periodEnd));
        suite.advanceClock(Duration.ofDays(32));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> subscriptions(acc).get("/accounts/{id}/subscription", acc).then()
                .body("planCode", equalTo("plus")).body("pendingChange", nullValue()).body("periodStart", equalTo(periodEnd)));
        subscriptions(acc).get("/accounts/{id}/charges", acc).then().body("[0].amountMinor", equalTo(1000))
                .body("[0].periodStart", equalTo(periodEnd));
    }

    @Test
    void immediateProratedKeepsTheBillingDateAndProratesBothSides() {
        String acc = newAccount();
        change(acc, "{\"planCode\":\"plus\",\"interval\":\"MONTH\"}").then().statusCode(200);
        Response sub = subscriptions(acc).get("/accounts/{id}/subscription", acc);
        Instant start = Instant.parse(sub.path("periodStart"));
        Instant end = Instant.parse(sub.path("periodEnd"));
        suite.advanceClock(Duration.between(start, end).dividedBy(2));
        // half of plus (10.00) back, half of pro (30.00) charged: 15.00 - 5.00 = 10.00 due, same billing date
        change(acc, "{\"planCode\":\"pro\",\"interval\":\"MONTH\",\"timing\":\"IMMEDIATE_PRORATED\"}").then().statusCode(200)
                .body("creditForUnusedMinor", equalTo(500)).body("chargeMinor", equalTo(1500)).body("dueMinor", equalTo(1000))
                .body("newPeriodStart", equalTo(start.toString())).body("newPeriodEnd", equalTo(end.toString()));
        subscriptions(acc).get("/accounts/{id}/subscription", acc).then().body("planCode", equalTo("pro"))
                .body("periodEnd", equalTo(end.toString()));
    }

    @Test
    void upgradesDefaultToImmediateAndDowngradesToEndOfPeriod() {
        String acc = newAccount();
        change(acc, "{\"planCode\":\"plus\",\"interval\":\"MONTH\"}").then().statusCode(200);
        preview(acc, "{\"planCode\":\"pro\",\"interval\":\"MONTH\"}").then().body("direction", equalTo("UPGRADE"))
                .body("timing", equalTo("IMMEDIATE"));
        preview(acc, "{\"planCode\":\"free\",\"interval\":\"MONTH\"}").then().body("direction", equalTo("DOWNGRADE"))
                .body("timing", equalTo("END_OF_PERIOD"));
    }

    @Test
    void theRequestMayChooseOnlyAmongTheTimingsThePolicyAllows() {
        String acc = newAccount();
        change(acc, "{\"planCode\":\"pro\",\"interval\":\"MONTH\"}").then().statusCode(200);
        change(acc, "{\"planCode\":\"plus\",\"interval\":\"MONTH\",\"timing\":\"IMMEDIATE\"}").then().statusCode(422)
                .body("code", equalTo("timing_not_allowed"));
        preview(acc, "{\"planCode\":\"plus\",\"interval\":\"MONTH\"}").then().body("allowedTimings", equalTo(java.util.List.of("END_OF_PERIOD")));
        subscriptions(acc).get("/accounts/{id}/subscription", acc).then().body("planCode", equalTo("pro")).body("pendingChange", nullValue());
    }

    @Test
    void everyChangeCanBePreviewedWithAmountsCreditsEffectiveDateAndWarnings() {
        String acc = newAccount();
        change(acc, "{\"planCode\":\"plus\",\"interval\":\"MONTH\"}").then().statusCode(200);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> credits(acc).then().body("byBucket.SUBSCRIPTION", equalTo(1000)));
        preview(acc, "{\"planCode\":\"pro\",\"interval\":\"MONTH\"}").then().statusCode(200)
                .body("previewId", notNullValue()).body("expiresAt", notNullValue())
                .body("creditForUnusedMinor", notNullValue()).body("chargeMinor", equalTo(3000)).body("dueMinor", notNullValue())
                .body("effectiveAt", notNullValue()).body("newPeriodStart", notNullValue()).body("newPeriodEnd", notNullValue())
                .body("credits.subscriptionCreditsNow", equalTo(1000)).body("credits.kept", equalTo(1000))
                .body("credits.granted", equalTo(5000)).body("credits.forfeited", equalTo(0));
        preview(acc, "{\"planCode\":\"free\",\"interval\":\"MONTH\"}").then().statusCode(200)
                .body("credits.forfeited", equalTo(1000)).body("warnings.code", hasItem("credits_forfeited_at_period_end"));
        subscriptions(acc).get("/accounts/{id}/subscription", acc).then().body("planCode", equalTo("plus")).body("pendingChange", nullValue());
    }

    @Test
    void confirmingAStaleOrExpiredPreviewIsRefused() {
        String acc = newAccount();
        String stale = preview(acc, "{\"planCode\":\"plus\",\"interval\":\"MONTH\"}").path("previewId");
        String later = preview(acc, "{\"planCode\":\"pro\",\"interval\":\"MONTH\"}").path("previewId");
        change(acc, "{\"previewId\":\"" + stale + "\"}").then().statusCode(200).body("toPlan", equalTo("plus"));
        change(acc, "{\"previewId\":\"" + later + "\"}").then().statusCode(409).body("code", equalTo("preview_stale"));
        String expiring = preview(acc, "{\"planCode\":\"pro\",\"interval\":\"MONTH\"}").path("previewId");
        suite.advanceClock(Duration.ofMinutes(16));
        change(acc, "{\"previewId\":\"" + expiring + "\"}").then().statusCode(410).body("code", equalTo("preview_expired"));
        change(acc, "{\"previewId\":\"" + UUID.randomUUID() + "\"}").then().statusCode(404).body("code", equalTo("preview_not_found"));
        subscriptions(acc).get("/accounts/{id}/subscription", acc).then().body("planCode", equalTo("plus"));
    }

    @Test
    void aNewEndOfPeriodChangeReplacesThePendingOneAndSaysWhich() {
        String acc = newAccount();
        change(acc, "{\"planCode\":\"pro\",\"interval\":\"MONTH\"}").then().statusCode(200);
        change(acc, "{\"planCode\":\"plus\",\"interval\":\"MONTH\"}").then().statusCode(200).body("replaces", nullValue());
        change(acc, "{\"planCode\":\"free\",\"interval\":\"MONTH\"}").then().statusCode(200)
                .body("replaces.planCode", equalTo("plus")).body("warnings.code", hasItem("replaces_pending_change"));
        subscriptions(acc).get("/accounts/{id}/subscription", acc).then().body("pendingChange.planCode", equalTo("free"));
    }

    @Test
    void anImmediateChangeClearsThePendingChange() {
        String acc = newAccount();
        change(acc, "{\"planCode\":\"plus\",\"interval\":\"YEAR\"}").then().statusCode(200);
        change(acc, "{\"planCode\":\"plus\",\"interval\":\"MONTH\"}").then().statusCode(200).body("timing", equalTo("END_OF_PERIOD"));
        change(acc, "{\"planCode\":\"pro\",\"interval\":\"YEAR\"}").then().statusCode(200).body("timing", equalTo("IMMEDIATE"))
                .body("replaces.planCode", equalTo("plus")).body("warnings.code", hasItem("clears_pending_change"));
        subscriptions(acc).get("/accounts/{id}/subscription", acc).then().body("planCode", equalTo("pro")).body("pendingChange", nullValue());
    }

    @Test
    void aPendingChangeCanBeCancelledAnyTimeBeforeItApplies() {
        String acc = newAccount();
        change(acc, "{\"planCode\":\"pro\",\"interval\":\"MONTH\"}").then().statusCode(200);
        change(acc, "{\"planCode\":\"plus\",\"interval\":\"MONTH\"}").then().statusCode(200);
        suite.advanceClock(Duration.ofDays(20));
        subscriptions(acc).delete("/accounts/{id}/subscription/pending-change", acc).then().statusCode(200).body("pendingChange", nullValue());
        subscriptions(acc).delete("/accounts/{id}/subscription/pending-change", acc).then().statusCode(409)
                .body("code", equalTo("no_pending_change"));
    }

    @Test
    void aCreditForUnusedTimeLargerThanTheChargeGoesToTheCustomerBalanceAndPaysTheNextCharges() {
        String big = "big-" + UUID.randomUUID().toString().substring(0, 8);
        String small = "small-" + UUID.randomUUID().toString().substring(0, 8);
        int rank = 1000 + Math.abs(UUID.randomUUID().hashCode() % 100000);
        publish(big, rank + 1, 4000, 40000);
        publish(small, rank, 1000, 10000);
        admin(Service.PLANS).body("{\"fromCode\":\"" + big + "\",\"toCode\":\"" + small + "\",\"allowedTimings\":[\"IMMEDIATE\"],"
                + "\"defaultTiming\":\"IMMEDIATE\"}").put("/admin/change-policies").then().statusCode(200);
        String acc = newAccount();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                change(acc, "{\"planCode\":\"" + big + "\",\"interval\":\"MONTH\"}").then().statusCode(200));
        // right after paying 40.00, moving to the 10.00 plan: 40.00 back for unused time, 10.00 due: 30.00 to the balance
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> change(acc, "{\"planCode\":\"" + small + "\",\"interval\":\"MONTH\"}")
                .then().statusCode(200).body("dueMinor", org.hamcrest.Matchers.lessThan(-2990))
                .body("payNowMinor", equalTo(0)).body("customerBalanceAfterMinor", org.hamcrest.Matchers.greaterThan(2990)));
        long balance = subscriptions(acc).get("/accounts/{id}/customer-balance", acc).then().statusCode(200)
                .body("currency", equalTo("USD")).extract().jsonPath().getLong("amountMinor");
        org.junit.jupiter.api.Assertions.assertTrue(balance > 2990 && balance <= 3000, "30.00 credited, was " + balance);
        suite.advanceClock(Duration.ofDays(32)); // the renewal (10.00) is paid from the balance, nothing through the gateway
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> subscriptions(acc).get("/accounts/{id}/charges", acc).then()
                .body("[0].kind", equalTo("RENEWAL")).body("[0].amountMinor", equalTo(1000)).body("[0].paymentRef", nullValue()));
        subscriptions(acc).get("/accounts/{id}/customer-balance", acc).then().body("amountMinor", equalTo((int) balance - 1000));
    }

    @Test
    void whileAChangeIsPendingTheSubscriptionCannotBeCancelled() {
        String acc = newAccount();
        change(acc, "{\"planCode\":\"pro\",\"interval\":\"MONTH\"}").then().statusCode(200);
        change(acc, "{\"planCode\":\"plus\",\"interval\":\"MONTH\"}").then().statusCode(200);
        post(acc, "/cancel").then().statusCode(409).body("code", equalTo("pending_change_blocks_cancel"))
                .body("detail", org.hamcrest.Matchers.containsString("cancel the pending change first"));
        subscriptions(acc).get("/accounts/{id}/subscription", acc).then().body("cancelAtPeriodEnd", equalTo(false));
    }

    // ---- Cancelling

    @Test
    void cancelKeepsPaidFeaturesUntilThePeriodEndThenRevertsToFreeWithNoFurtherCharge() {
        String acc = newAccount();
        change(acc, "{\"planCode\":\"pro\",\"interval\":\"MONTH\"}").then().statusCode(200);
        post(acc, "/cancel").then().statusCode(200).body("cancelAtPeriodEnd", equalTo(true));
        suite.advanceClock(Duration.ofDays(20));
        subscriptions(acc).get("/accounts/{id}/subscription", acc).then().body("planCode", equalTo("pro"))
                .body("features", hasItem("team-collaboration"));
        suite.advanceClock(Duration.ofDays(12));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> subscriptions(acc).get("/accounts/{id}/subscription", acc).then()
                .body("planCode", equalTo("free")).body("features", not(hasItem("team-collaboration"))));
        subscriptions(acc).get("/accounts/{id}/charges", acc).then().body("size()", equalTo(1)).body("[0].kind", equalTo("NEW_PERIOD"));
    }

    @Test
    void cancellingSendsAConfirmationEmailAndSoDoesTheRevert() {
        String acc = newAccount();
        subscriptions(acc).body("{\"email\":\"owner@example.com\"}").put("/accounts/{id}/billing-contact", acc).then().statusCode(200);
        subscriptions(acc).body("{\"email\":\"not an address\"}").put("/accounts/{id}/billing-contact", acc).then().statusCode(400)
                .body("errors[0].field", equalTo("email"));
        change(acc, "{\"planCode\":\"plus\",\"interval\":\"MONTH\"}").then().statusCode(200);
        post(acc, "/cancel").then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> admin(Service.SUBSCRIPTIONS).queryParam("accountId", acc)
                .get("/admin/notifications").then().statusCode(200).body("size()", equalTo(1))
                .body("[0].kind", equalTo("cancel-confirmation")).body("[0].email", equalTo("owner@example.com"))
                .body("[0].sentAt", notNullValue()).body("[0].body", org.hamcrest.Matchers.containsString("No further charges")));
        suite.advanceClock(Duration.ofDays(32));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> admin(Service.SUBSCRIPTIONS).queryParam("accountId", acc)
                .get("/admin/notifications").then().body("size()", equalTo(2))
                .body("[0].kind", equalTo("reverted-to-free")).body("[0].sentAt", notNullValue()));
    }

    @Test
    void cancellingTwiceOrResumingWithNothingToResumeIsRefused() {
        String acc = newAccount();
        post(acc, "/resume").then().statusCode(409).body("code", equalTo("nothing_to_resume"));
        change(acc, "{\"planCode\":\"plus\",\"interval\":\"MONTH\"}").then().statusCode(200);
        post(acc, "/cancel").then().statusCode(200);
        post(acc, "/cancel").then().statusCode(409).body("code", equalTo("already_cancelled"));
    }

    @Test
    void aCancellationCanBeRevokedBeforeThePeriodEnds() {
        String acc = newAccount();
        change(acc, "{\"planCode\":\"plus\",\"interval\":\"MONTH\"}").then().statusCode(200);
        post(acc, "/cancel").then().statusCode(200);
        suite.advanceClock(Duration.ofDays(25));
        post(acc, "/resume").then().statusCode(200).body("cancelAtPeriodEnd", equalTo(false));
        suite.advanceClock(Duration.ofDays(7));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> subscriptions(acc).get("/accounts/{id}/charges", acc).then()
                .body("[0].kind", equalTo("RENEWAL")));
        subscriptions(acc).get("/accounts/{id}/subscription", acc).then().body("planCode", equalTo("plus"));
    }

    @Test
    void resubscribingLaterIsAnOrdinaryUpgradeFromFreeAndKeepsTheAccount() {
        String acc = newAccount();
        subscriptions(acc).header("Idempotency-Key", "topup-" + acc).body("{\"packCode\":\"pack-500\"}")
                .post("/accounts/{id}/topups", acc).then().statusCode(201);
        change(acc, "{\"planCode\":\"plus\",\"interval\":\"MONTH\"}").then().statusCode(200);
        post(acc, "/cancel").then().statusCode(200);
        suite.advanceClock(Duration.ofDays(32));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> subscriptions(acc).get("/accounts/{id}/subscription", acc).then()
                .body("planCode", equalTo("free")));
        change(acc, "{\"planCode\":\"plus\",\"interval\":\"MONTH\"}").then().statusCode(200).body("direction", equalTo("UPGRADE"))
                .body("timing", equalTo("IMMEDIATE"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> credits(acc).then()
                .body("byBucket.TOPUP", equalTo(500)).body("byBucket.SUBSCRIPTION", equalTo(1000)));
    }

    // ---- helpers

    private String newAccount() {
        String acc = "acc-" + UUID.randomUUID();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> subscriptions(acc).get("/accounts/{id}/subscription", acc)
                .then().statusCode(200));
        return acc;
    }

    private RequestSpecification subscriptions(String acc) {
        return given().baseUri(suite.url(Service.SUBSCRIPTIONS)).header("Authorization", TestTokens.bearer(TestTokens.account(acc)))
                .contentType(ContentType.JSON);
    }

    private RequestSpecification as(String token) {
        return given().baseUri(suite.url(Service.SUBSCRIPTIONS)).header("Authorization", TestTokens.bearer(token))
                .header("Idempotency-Key", UUID.randomUUID().toString()).contentType(ContentType.JSON);
    }

    private RequestSpecification admin(Service service) {
        return given().baseUri(suite.url(service)).header("Authorization", TestTokens.bearer(TestTokens.admin()))
                .contentType(ContentType.JSON);
    }

    private Response credits(String acc) {
        return given().baseUri(suite.url(Service.CREDITS)).header("Authorization", TestTokens.bearer(TestTokens.account(acc)))
                .get("/accounts/{id}/credits", acc);
    }

    private Response post(String acc, String path) {
        return subscriptions(acc).header("Idempotency-Key", UUID.randomUUID().toString()).post("/accounts/{id}/subscription" + path, acc);
    }

    private Response change(String acc, String body) {
        return subscriptions(acc).header("Idempotency-Key", UUID.randomUUID().toString()).body(body)
                .post("/accounts/{id}/subscription/changes", acc);
    }

    private Response preview(String acc, String body) {
        return subscriptions(acc).body(body).post("/accounts/{id}/subscription/previews", acc);
    }

    /** Publishes a version of a test plan; {@code yearly} 0 means the plan is sold monthly only. */
    private void publish(String code, int rank, long monthly, long yearly) {
        String year = yearly == 0 ? "" : ",{\"interval\":\"YEAR\",\"amountMinor\":%d,\"currency\":\"USD\"}".formatted(yearly);
        String draft = """
                {"code":"%s","name":"Studio","description":"a plan made by a test","rank":%d,"selfServe":true,"defaultFree":false,
                 "prices":[{"interval":"MONTH","amountMinor":%d,"currency":"USD"}%s],
                 "creditsPerPeriod":2000,"creditPeriod":"MONTH","dailyCredits":0,"seatsIncluded":1,"features":["pro-models"],
                 "overage":{"mode":"BLOCK","unitPriceMinor":0,"unitCredits":1}}""".formatted(code, rank, monthly, year);
        int created = admin(Service.PLANS).body(draft).post("/admin/plans").statusCode();
        if (created != 201) {
            admin(Service.PLANS).body(draft).put("/admin/plans/{code}/draft", code).then().statusCode(200);
        }
        admin(Service.PLANS).post("/admin/plans/{code}/publish", code).then().statusCode(201);
    }
}
