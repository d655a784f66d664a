package dev.tally.subscriptions;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.contracts.Events;
import dev.tally.contracts.plans.CreditPackSnapshot;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.testsupport.TestEvents;
import dev.tally.testsupport.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An admin refunds a top-up through the sandbox: a negative charge line and topup.refunded, once, cumulative; bad refunds refused. */
@QuarkusTest
@TestProfile(NeighboursStub.class)
class TopupRefundsTest {
    @Inject
    ObjectMapper json;
    @Inject
    Pool pool;

    @BeforeEach
    void pack() throws Exception {
        var pack = new CreditPackSnapshot("pack-1000", "1000 credits", 1000, 900, "USD", null, PlanSnapshot.PlanStatus.PUBLISHED);
        TestEvents.publish(Events.CREDIT_PACK_PUBLISHED, "pack:" + pack.code(), "pack:" + pack.code(), json.writeValueAsString(pack));
    }

    private static RequestSpecification as(String token) {
        return given().header("Authorization", TestTokens.bearer(token)).contentType(ContentType.JSON);
    }

    private static String bought(String acc) {
        String[] id = new String[1];
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> id[0] = as(TestTokens.account(acc)).header("Idempotency-Key", UUID.randomUUID().toString())
                .body("{\"packCode\":\"pack-1000\"}").post("/accounts/{id}/topups", acc).then().statusCode(201).extract().path("purchaseId"));
        return id[0];
    }

    private static ValidatableResponse refund(String acc, String purchase, String body, String key) {
        var r = as(TestTokens.admin()).body(body);
        if (key != null) {
            r.header("Idempotency-Key", key);
        }
        return r.post("/accounts/{id}/topups/{p}/refunds", acc, purchase).then();
    }

    private long count(String sql, Object... args) {
        return pool.preparedQuery(sql).execute(Tuple.from(List.of(args))).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }

    @Test
    void aFullRefundIsANegativeChargeLineAndOneTopupRefundedAndARepeatReplaysIt() {
        String acc = "acc-" + UUID.randomUUID();
        String purchase = bought(acc);
        String key = UUID.randomUUID().toString();
        refund(acc, purchase, "{\"reason\":\"customer asked\"}", key).statusCode(201).body("refundedMinor", Matchers.equalTo(900))
                .body("refundableMinor", Matchers.equalTo(0)).body("reference", Matchers.startsWith("local_refund_"));
        refund(acc, purchase, "{\"reason\":\"customer asked\"}", key).statusCode(201).header("Idempotent-Replayed", "true");
        refund(acc, purchase, "{\"reason\":\"again\"}", UUID.randomUUID().toString()).statusCode(409).body("code", Matchers.equalTo("already_refunded"));

        as(TestTokens.account(acc)).get("/accounts/{id}/charges", acc).then().statusCode(200)
                .body("[0].kind", Matchers.equalTo("TOPUP_REFUND")).body("[0].amountMinor", Matchers.equalTo(-900))
                .body("[0].paidFor", Matchers.equalTo("topup")).body("[0].packCode", Matchers.equalTo("pack-1000"))
                .body("[0].actedBy", Matchers.equalTo("ops")).body("[0].reason", Matchers.equalTo("customer asked"))
                .body("[1].kind", Matchers.equalTo("TOPUP"));
        assertEquals(1, count("SELECT count(*) FROM outbox_event WHERE subject = $1 AND type = 'topup.refunded' "
                + "AND (payload->>'takenBackMinor')::bigint = 900 AND payload->>'cause' = 'REFUND'", acc));
    }

    @Test
    void partialRefundsAddUpAndNeverExceedWhatWasPaid() {
        String acc = "acc-" + UUID.randomUUID();
        String purchase = bought(acc);
        refund(acc, purchase, "{\"amountMinor\":300,\"reason\":\"partly\"}", null).statusCode(201).body("refundableMinor", Matchers.equalTo(600));
        refund(acc, purchase, "{\"amountMinor\":601,\"reason\":\"too much\"}", null).statusCode(422)
                .body("code", Matchers.equalTo("refund_exceeds_payment")).body("errors[0].field", Matchers.equalTo("amountMinor"));
        refund(acc, purchase, "{\"reason\":\"the rest\"}", null).statusCode(201).body("refundedMinor", Matchers.equalTo(900));
        assertEquals(2, count("SELECT count(*) FROM outbox_event WHERE subject = $1 AND type = 'topup.refunded'", acc));
        assertEquals(-900, count("SELECT sum(amount_minor) FROM charge WHERE account_id = $1 AND kind = 'TOPUP_REFUND'", acc));
    }

    @Test
    void aBadRefundIsRefusedAndChangesNothing() {
        String acc = "acc-" + UUID.randomUUID();
        String purchase = bought(acc);
        refund(acc, UUID.randomUUID().toString(), "{\"reason\":\"x\"}", null).statusCode(404).body("code", Matchers.equalTo("purchase_not_found"))
                .body("errors[0].field", Matchers.equalTo("purchaseId"));
        refund("acc-other", purchase, "{\"reason\":\"x\"}", null).statusCode(404);
        refund(acc, "not-a-uuid", "{\"reason\":\"x\"}", null).statusCode(400).body("errors[0].field", Matchers.equalTo("purchaseId"));
        refund(acc, purchase, "{}", null).statusCode(400).body("errors[0].field", Matchers.equalTo("reason"));
        refund(acc, purchase, "{\"amountMinor\":0,\"reason\":\"x\"}", null).statusCode(400);
        as(TestTokens.account(acc)).body("{\"reason\":\"x\"}").post("/accounts/{id}/topups/{p}/refunds", acc, purchase).then().statusCode(403);
        as(TestTokens.service()).body("{\"reason\":\"x\"}").post("/accounts/{id}/topups/{p}/refunds", acc, purchase).then().statusCode(403);
        assertEquals(0, count("SELECT count(*) FROM charge WHERE account_id = $1 AND kind = 'TOPUP_REFUND'", acc));
    }
}
