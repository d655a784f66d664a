package dev.tally.credits;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.contracts.Events;
import dev.tally.contracts.subscriptions.TopupRefunded;
import dev.tally.testsupport.TallyInfraResource;
import dev.tally.testsupport.TestEvents;
import dev.tally.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** topup.refunded from the broker: the purchase's lot clawed back in proportion, its shortfall recorded, once whatever the repeats. */
@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "credits"))
class ClawbackTest {
    @Inject
    ObjectMapper json;
    @Inject
    Pool pool;

    private void refund(String acc, UUID purchase, long takenBackMinor, String cause, String reference) throws Exception {
        TestEvents.publish(Events.TOPUP_REFUNDED, acc, acc, json.writeValueAsString(new TopupRefunded(purchase, acc, "pack-1000", 1000, 900,
                "USD", takenBackMinor, cause, reference, "customer asked", "ops", Instant.now())));
    }

    private List<String> rows(String sql, String acc) {
        return SameLedger.rows(pool, sql, acc);
    }

    private static void awaitLot(String acc, String path, Object expected) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().header("Authorization", TestTokens.bearer(TestTokens.admin()))
                .get("/accounts/{id}/credits/lots?status=all", acc).then().statusCode(200).body(path, equalTo(expected)));
    }

    @Test
    void aRefundAfterPartWasSpentClawsBackWhatRemainsRecordsTheShortfallAndItsEchoClawsNothingMore() throws Exception {
        String acc = LedgerCalls.account();
        UUID purchase = UUID.randomUUID();
        LedgerCalls.topup(json, acc, purchase, 1000, UUID.randomUUID().toString());
        LedgerCalls.awaitBalance(acc, 1000);
        LedgerCalls.debit(acc, 600, null).then().statusCode(201);

        refund(acc, purchase, 900, "REFUND", "local_refund_1");
        awaitLot(acc, "lots[0].status", "REFUNDED");
        given().header("Authorization", TestTokens.bearer(TestTokens.account(acc))).get("/accounts/{id}/credits/lots?status=all", acc).then()
                .body("lots[0].source", equalTo("TOPUP_PURCHASE")).body("lots[0].sourceId", equalTo(purchase.toString()))
                .body("lots[0].takenBack", equalTo(400)).body("lots[0].shortfall", equalTo(600)).body("shortfall", equalTo(600));
        LedgerCalls.awaitBalance(acc, 0);

        refund(acc, purchase, 900, "REFUND", "ch_echo"); // Stripe's charge.refunded echoing the same refund, another event id
        refund(acc, purchase, 900, "DISPUTE", "dp_late");
        TestEvents.publish(Events.TOPUP_PURCHASED, acc, acc, "{\"purchaseId\":\"" + UUID.randomUUID() + "\",\"accountId\":\"" + acc
                + "\",\"packCode\":\"pack-1\",\"credits\":5,\"amountMinor\":100,\"currency\":\"USD\",\"settledAt\":\"2026-01-01T00:00:00Z\"}");
        LedgerCalls.awaitBalance(acc, 5); // behind the repeats on the account's partition: they were applied (as nothing) before it
        assertEquals(List.of("-400"), rows("SELECT amount::text FROM ledger_entry WHERE account_id = $1 AND kind = 'CLAWBACK'", acc));
        assertEquals(List.of("1"), rows("SELECT count(*)::text FROM outbox_event WHERE subject = $1 AND type = 'credits.clawed-back'", acc));
    }

    @Test
    void partialRefundsClawBackInProportionAndTheRestStaysSpendable() throws Exception {
        String acc = LedgerCalls.account();
        UUID purchase = UUID.randomUUID();
        LedgerCalls.topup(json, acc, purchase, 1000, UUID.randomUUID().toString());
        LedgerCalls.awaitBalance(acc, 1000);
        refund(acc, purchase, 300, "REFUND", "re_1");
        LedgerCalls.awaitBalance(acc, 666); // ceil(1000 x 300 / 900) = 334 clawed back
        awaitLot(acc, "lots[0].status", "ACTIVE");
        refund(acc, purchase, 600, "REFUND", "re_2");
        LedgerCalls.awaitBalance(acc, 333);
        LedgerCalls.debit(acc, 333, null).then().statusCode(201);
        refund(acc, purchase, 900, "DISPUTE", "dp_1");
        awaitLot(acc, "lots[0].status", "DISPUTED");
        awaitLot(acc, "lots[0].shortfall", 333);
        assertEquals(List.of("-334", "-333"), rows("SELECT amount::text FROM ledger_entry WHERE account_id = $1 AND kind = 'CLAWBACK' ORDER BY id", acc));
    }
}
