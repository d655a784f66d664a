package dev.tally.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.e2e.Suite.Service;
import dev.tally.testsupport.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every lot accountable (issue 22), over HTTP on the running suite (local payment sandbox, demo
 * catalog): a top-up refunded, in part and then in full, after part of it was spent, clawed back with
 * its shortfall; and a promo lot an admin voids, never spent or refilled again.
 */
class LotsJourneyTest {
    private final Suite suite = Suite.get();

    private RequestSpecification as(Service service, String token) {
        return given().baseUri(suite.url(service)).header("Authorization", TestTokens.bearer(token)).contentType(ContentType.JSON);
    }

    private String freeAccountWithItsDailyCredits() {
        String acc = "acc-" + UUID.randomUUID();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> as(Service.SUBSCRIPTIONS, TestTokens.account(acc))
                .get("/accounts/{id}/subscription", acc).then().statusCode(200));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> as(Service.CREDITS, TestTokens.account(acc)).get("/accounts/{id}/credits", acc)
                .then().statusCode(200).body("available", equalTo(100)));
        return acc;
    }

    private void awaitLots(String acc, String path, Object expected) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> as(Service.CREDITS, TestTokens.account(acc))
                .get("/accounts/{id}/credits/lots?status=all", acc).then().statusCode(200).body(path, equalTo(expected)));
    }

    /**
     * The ledger invariant over every account of the suite; a failure names each disagreement. Right after an
     * earlier journey moved the clock, a bucket it jumped past is pending, not named (issue 21's finding: the
     * check used to name them before the sweep had had a chance); LedgerAfterTheJourneysTest checks it once more
     * at the end, when the sweep has had its chance.
     */
    private void ledgerHolds() {
        var check = as(Service.CREDITS, TestTokens.admin()).get("/admin/ledger/check").then().statusCode(200).extract();
        assertTrue(check.<Boolean>path("holds"), () -> "ledger check: " + check.asString());
    }

    @Test
    void aTopupRefundedAfterPartOfItWasSpentClawsBackWhatRemainsAndRecordsTheShortfall() {
        String acc = freeAccountWithItsDailyCredits();
        String purchase = as(Service.SUBSCRIPTIONS, TestTokens.account(acc)).header("Idempotency-Key", UUID.randomUUID().toString())
                .body("{\"packCode\":\"pack-2000\"}").post("/accounts/{id}/topups", acc).then().statusCode(201).extract().path("purchaseId");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> as(Service.CREDITS, TestTokens.account(acc)).get("/accounts/{id}/credits", acc)
                .then().body("available", equalTo(2100)));
        as(Service.CREDITS, TestTokens.service()).body("{\"amount\":1300,\"reason\":\"renders\"}").post("/accounts/{id}/credits/debits", acc)
                .then().statusCode(201); // 100 daily, 1200 of the pack: 800 left
        String lot = "lots.find { it.sourceId == '" + purchase + "' }";
        awaitLots(acc, lot + ".source", "TOPUP_PURCHASE");

        as(Service.SUBSCRIPTIONS, TestTokens.admin()).header("Idempotency-Key", UUID.randomUUID().toString())
                .body("{\"amountMinor\":900,\"reason\":\"half of it, goodwill\"}").post("/accounts/{id}/topups/{p}/refunds", acc, purchase)
                .then().statusCode(201).body("refundedMinor", equalTo(900)).body("refundableMinor", equalTo(900));
        awaitLots(acc, lot + ".shortfall", 200); // half the money: 1000 credits owed, 800 left to take
        as(Service.CREDITS, TestTokens.account(acc)).get("/accounts/{id}/credits/lots?status=all", acc).then()
                .body(lot + ".takenBack", equalTo(800)).body(lot + ".remaining", equalTo(0)).body(lot + ".granted", equalTo(2000));

        as(Service.SUBSCRIPTIONS, TestTokens.admin()).header("Idempotency-Key", UUID.randomUUID().toString())
                .body("{\"reason\":\"card holder insisted\"}").post("/accounts/{id}/topups/{p}/refunds", acc, purchase)
                .then().statusCode(201).body("refundedMinor", equalTo(1800)).body("refundableMinor", equalTo(0));
        awaitLots(acc, lot + ".status", "REFUNDED");
        as(Service.CREDITS, TestTokens.account(acc)).get("/accounts/{id}/credits/lots?status=all", acc).then()
                .body(lot + ".shortfall", equalTo(1200)).body("shortfall", equalTo(1200));
        as(Service.SUBSCRIPTIONS, TestTokens.admin()).header("Idempotency-Key", UUID.randomUUID().toString())
                .body("{\"reason\":\"again\"}").post("/accounts/{id}/topups/{p}/refunds", acc, purchase).then().statusCode(409)
                .body("code", equalTo("already_refunded"));
        as(Service.SUBSCRIPTIONS, TestTokens.account(acc)).get("/accounts/{id}/charges", acc).then().statusCode(200)
                .body("[0].kind", equalTo("TOPUP_REFUND")).body("[0].amountMinor", equalTo(-900))
                .body("[1].kind", equalTo("TOPUP_REFUND")).body("[2].kind", equalTo("TOPUP")).body("[2].amountMinor", equalTo(1800));
        as(Service.CREDITS, TestTokens.account(acc)).get("/accounts/{id}/credits/ledger", acc).then().statusCode(200)
                .body("findAll { it.kind == 'CLAWBACK' }.amount.sum()", equalTo(-800));

        // a shortfall does not block spending: credits granted later are spent as usual
        as(Service.CREDITS, TestTokens.admin()).header("Idempotency-Key", UUID.randomUUID().toString())
                .body("{\"credits\":10,\"reason\":\"goodwill\"}").post("/accounts/{id}/credits/grants", acc).then().statusCode(201);
        as(Service.CREDITS, TestTokens.service()).body("{\"amount\":5,\"reason\":\"render\"}").post("/accounts/{id}/credits/debits", acc)
                .then().statusCode(201);
        ledgerHolds();
    }

    @Test
    void aVoidedPromoLotIsNeverSpentAgain() {
        String acc = freeAccountWithItsDailyCredits();
        Instant now = Instant.parse(as(Service.CREDITS, TestTokens.admin()).get("/admin/clock").then().statusCode(200).extract().path("now"));
        Instant expiry = now.plus(20, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS); // the suite's clock: earlier tests may have moved it
        as(Service.CREDITS, TestTokens.admin()).header("Idempotency-Key", "promo-" + acc)
                .body("{\"credits\":50,\"reason\":\"launch campaign\",\"expiresAt\":\"" + expiry + "\"}")
                .post("/accounts/{id}/credits/grants", acc).then().statusCode(201);
        String debit = as(Service.CREDITS, TestTokens.service()).header("Idempotency-Key", "renders-" + acc).body("{\"amount\":120,\"reason\":\"renders\"}")
                .post("/accounts/{id}/credits/debits", acc).then().statusCode(201).extract().path("debitId"); // 100 daily, 20 promo
        int lotId = as(Service.CREDITS, TestTokens.account(acc)).get("/accounts/{id}/credits/lots", acc).then().statusCode(200)
                .body("lots[0].source", equalTo("PROMO")).body("lots[0].sourceId", equalTo("promo-" + acc))
                .body("lots[0].remaining", equalTo(30)).extract().path("lots[0].id");

        as(Service.CREDITS, TestTokens.admin()).body("{\"reason\":\"campaign sent to the wrong list\"}")
                .post("/accounts/{id}/credits/lots/{lot}/void", acc, lotId).then().statusCode(200)
                .body("status", equalTo("VOIDED")).body("takenBack", equalTo(30)).body("remaining", equalTo(0));
        as(Service.CREDITS, TestTokens.admin()).body("{\"reason\":\"again\"}")
                .post("/accounts/{id}/credits/lots/{lot}/void", acc, lotId).then().statusCode(200).body("takenBack", equalTo(30));
        as(Service.CREDITS, TestTokens.account(acc)).get("/accounts/{id}/credits/lots", acc).then().body("lots.size()", equalTo(0));
        as(Service.CREDITS, TestTokens.account(acc)).get("/accounts/{id}/credits/lots?status=past", acc).then()
                .body("lots.find { it.id == " + lotId + " }.status", equalTo("VOIDED"))
                .body("lots.find { it.id == " + lotId + " }.takenBackReason", equalTo("campaign sent to the wrong list"));
        as(Service.CREDITS, TestTokens.service()).body("{\"amount\":1,\"reason\":\"render\"}").post("/accounts/{id}/credits/debits", acc)
                .then().statusCode(402).body("code", equalTo("insufficient_credits"));

        as(Service.CREDITS, TestTokens.service()).post("/accounts/{id}/credits/debits/{d}/reversal", acc, debit).then().statusCode(200)
                .body("credits", equalTo(100)); // the daily part comes back; the 20 of the voided lot do not
        as(Service.CREDITS, TestTokens.account(acc)).get("/accounts/{id}/credits", acc).then().body("available", equalTo(100))
                .body("byBucket.PROMO", equalTo(null));
        ledgerHolds();
    }
}
