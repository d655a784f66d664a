package dev.tally.credits;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.testsupport.TallyInfraResource;
import dev.tally.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** An admin voids one lot: its credits leave by a VOID entry, once, announced, and it is never spent again, even by racing debits. */
@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "credits"))
class LotVoidTest {
    @Inject
    Pool pool;

    private static RequestSpecification as(String token) {
        return given().header("Authorization", TestTokens.bearer(token)).contentType(ContentType.JSON);
    }

    private static long promo(String acc, long credits) {
        as(TestTokens.admin()).body("{\"credits\":" + credits + ",\"reason\":\"campaign\"}").header("Idempotency-Key", UUID.randomUUID().toString())
                .post("/accounts/{id}/credits/grants", acc).then().statusCode(201);
        return as(TestTokens.admin()).get("/accounts/{id}/credits/lots?status=all", acc).then().extract().<Number>path("lots[0].id").longValue();
    }

    private static io.restassured.response.ValidatableResponse voidLot(String acc, long lot, String reason) {
        return as(TestTokens.admin()).body("{\"reason\":\"" + reason + "\"}").post("/accounts/{id}/credits/lots/{lot}/void", acc, lot).then();
    }

    private List<String> rows(String sql, String acc) {
        return SameLedger.rows(pool, sql, acc);
    }

    @Test
    void aVoidTakesWhatTheLotHoldsOnceAnnouncesItAndListsItAmongThePastLots() {
        String acc = LedgerCalls.account();
        long keep = promo(acc, 25);
        long lot = promo(acc, 40);
        LedgerCalls.debit(acc, 30, null).then().statusCode(201); // promo lots: soonest expiry first, then oldest: 25 then 5 of the 40
        voidLot(acc, lot, "campaign sent by mistake").statusCode(200).body("status", equalTo("VOIDED")).body("remaining", equalTo(0))
                .body("takenBack", equalTo(35)).body("granted", equalTo(40)).body("source", equalTo("PROMO"))
                .body("takenBackReason", equalTo("campaign sent by mistake")).body("takenBackBy", equalTo("ops"));
        voidLot(acc, lot, "again").statusCode(200).body("status", equalTo("VOIDED")).body("takenBack", equalTo(35));

        assertEquals(List.of("-35"), rows("SELECT amount::text FROM ledger_entry WHERE account_id = $1 AND kind = 'VOID'", acc), "one VOID entry");
        assertEquals(List.of("1"), rows("SELECT count(*)::text FROM outbox_event WHERE subject = $1 AND type = 'credits.lot-voided'", acc));
        as(TestTokens.account(acc)).get("/accounts/{id}/credits", acc).then().body("available", equalTo(0));
        as(TestTokens.account(acc)).get("/accounts/{id}/credits/lots", acc).then().statusCode(200).body("lots.id", not(hasItem((int) lot)));
        as(TestTokens.account(acc)).get("/accounts/{id}/credits/lots?status=past", acc).then().statusCode(200)
                .body("lots.find { it.id == " + lot + " }.status", equalTo("VOIDED"))
                .body("lots.find { it.id == " + keep + " }.status", equalTo("SPENT"));
    }

    @Test
    void aVoidedLotIsNeverSpentAgainByDebitsRacingTheVoidByAHoldsCaptureOrByAReversal() throws Exception {
        String acc = LedgerCalls.account();
        long lot = promo(acc, 100);
        String spentBefore = LedgerCalls.debit(acc, 10, "before-" + acc).then().statusCode(201).extract().path("debitId");
        String hold = as(TestTokens.service()).body("{\"amount\":20,\"ttlSeconds\":600,\"reason\":\"render\"}")
                .post("/accounts/{id}/credits/holds", acc).then().statusCode(201).extract().path("id");
        var pool8 = Executors.newFixedThreadPool(8);
        var debits = IntStream.range(0, 16).mapToObj(i -> CompletableFuture.supplyAsync(() -> LedgerCalls.debit(acc, 3, null).statusCode(), pool8)).toList();
        voidLot(acc, lot, "fraud").statusCode(200);
        debits.forEach(CompletableFuture::join);
        pool8.shutdown();

        assertEquals(List.of("0"), rows("SELECT count(*)::text FROM ledger_entry d WHERE d.account_id = $1 AND d.kind = 'DEBIT' "
                + "AND d.id > (SELECT v.id FROM ledger_entry v WHERE v.account_id = $1 AND v.kind = 'VOID')", acc), "no debit after the void");
        assertEquals(List.of("0"), rows("SELECT remaining::text FROM credit_bucket WHERE account_id = $1", acc));
        assertEquals(List.of("100"), rows("SELECT (-sum(amount))::text FROM ledger_entry WHERE account_id = $1 AND kind IN ('DEBIT', 'VOID')", acc),
                "every credit of the lot was spent before the void or voided, none twice");
        as(TestTokens.service()).body("{\"amount\":20}").post("/accounts/{id}/credits/holds/{h}/capture", acc, hold).then().statusCode(402);
        as(TestTokens.service()).post("/accounts/{id}/credits/debits/{d}/reversal", acc, spentBefore).then().statusCode(200)
                .body("credits", equalTo(0));
        assertEquals(List.of("0"), rows("SELECT remaining::text FROM credit_bucket WHERE account_id = $1", acc), "the reversal refilled nothing");
        assertEquals(List.of("0"), rows("SELECT count(*)::text FROM ledger_entry WHERE account_id = $1 AND kind = 'REVERSAL'", acc));
    }

    @Test
    void aBadVoidIsRefusedAndChangesNothing() {
        String acc = LedgerCalls.account();
        long lot = promo(acc, 10);
        as(TestTokens.admin()).body("{\"reason\":\"x\"}").post("/accounts/{id}/credits/lots/{lot}/void", acc, lot + 1_000_000).then()
                .statusCode(404).body("code", equalTo("lot_not_found")).body("errors[0].field", equalTo("lotId"));
        as(TestTokens.admin()).body("{\"reason\":\"x\"}").post("/accounts/{id}/credits/lots/{lot}/void", "acc-other", lot).then()
                .statusCode(404).body("code", equalTo("lot_not_found"));
        as(TestTokens.admin()).body("{\"reason\":\"x\"}").post("/accounts/{id}/credits/lots/abc/void", acc).then()
                .statusCode(400).body("errors[0].field", equalTo("lotId"));
        as(TestTokens.admin()).body("{}").post("/accounts/{id}/credits/lots/{lot}/void", acc, lot).then()
                .statusCode(400).body("errors[0].field", equalTo("reason"));
        as(TestTokens.service()).body("{\"reason\":\"x\"}").post("/accounts/{id}/credits/lots/{lot}/void", acc, lot).then().statusCode(403);
        as(TestTokens.admin()).get("/accounts/{id}/credits/lots?status=soon", acc).then().statusCode(400).body("errors[0].field", equalTo("status"));
        as(TestTokens.account(acc)).get("/accounts/{id}/credits", acc).then().body("available", equalTo(10));
    }
}
