package dev.tally.credits;

import static dev.tally.credits.LedgerCalls.account;
import static dev.tally.credits.LedgerCalls.awaitBalance;
import static dev.tally.credits.LedgerCalls.debit;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.contracts.Events;
import dev.tally.contracts.subscriptions.TopupPurchased;
import dev.tally.credits.service.AutoTopupTimeouts;
import dev.tally.testsupport.TallyInfraResource;
import dev.tally.testsupport.TestEvents;
import dev.tally.testsupport.TestTokens;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An auto top-up whose request or answer was lost: past the in-flight timeout (2 h by the service's
 * clock) it is cleared with credits.auto-topup-timed-out and counted as a failure, the next crossing
 * asks again, and a late settlement of the lost one is still granted exactly once.
 */
@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "credits"))
class AutoTopupTimeoutTest {
    @Inject
    ObjectMapper json;
    @Inject
    Pool pool;
    @Inject
    Scheduler scheduler;
    @Inject
    AutoTopupTimeouts timeouts;

    @AfterEach
    void clockAndJobBack() {
        scheduler.resume(AutoTopupTimeouts.IDENTITY);
        AutoTopupTest.as(TestTokens.admin()).delete("/admin/clock").then().statusCode(200);
    }

    @Test
    void aTopUpLeftUnansweredPastTheTimeoutIsClearedCountedAndAskedAgainAndALateSettlementIsGrantedOnce() throws Exception {
        scheduler.pause(AutoTopupTimeouts.IDENTITY); // rounds run here, one at a time
        new AutoTopupTest().packFor(json, pool);
        String acc = account();
        LedgerCalls.topup(json, acc, UUID.randomUUID(), 200, UUID.randomUUID().toString());
        awaitBalance(acc, 200);
        AutoTopupTest.as(TestTokens.service()).body(AutoTopupTest.settings(150, AutoTopupTest.PACK, 10_000, 3))
                .put("/accounts/{id}/credits/auto-topup", acc).then().statusCode(200);
        debit(acc, 60, null).then().statusCode(201); // 140: asked, and the request is lost
        UUID lost = UUID.fromString(said(acc, "credits.auto-topup-requested", "requestId").get(0));
        advanceClock("PT1H59M");
        timeouts.clearUnanswered().await().atMost(Duration.ofSeconds(10)); // (other tests' accounts may be cleared: counts are not ours)
        AutoTopupTest.as(TestTokens.service()).get("/accounts/{id}/credits/auto-topup", acc).then().body("inFlight", equalTo(lost.toString()));
        assertEquals(List.of(), said(acc, "credits.auto-topup-timed-out", "requestId"), "not yet: within the timeout");

        advanceClock("PT2M");
        timeouts.clearUnanswered().await().atMost(Duration.ofSeconds(10));
        timeouts.clearUnanswered().await().atMost(Duration.ofSeconds(10)); // a second round finds nothing more of it
        AutoTopupTest.as(TestTokens.service()).get("/accounts/{id}/credits/auto-topup", acc).then().statusCode(200)
                .body("inFlight", nullValue()).body("failuresInRow", equalTo(1)).body("enabled", equalTo(true));
        assertEquals(900, count("SELECT month_spent_minor FROM auto_topup WHERE account_id = $1", acc), "its price stays in the month");
        assertEquals(List.of(lost.toString()), said(acc, "credits.auto-topup-timed-out", "requestId"));
        assertEquals(List.of("1"), said(acc, "credits.auto-topup-timed-out", "failuresInRow"));

        LedgerCalls.topup(json, acc, UUID.randomUUID(), 60, UUID.randomUUID().toString()); // by hand: 200, above again
        awaitBalance(acc, 200);
        debit(acc, 60, null).then().statusCode(201); // crossed again: asked again
        List<String> asked = said(acc, "credits.auto-topup-requested", "requestId");
        assertEquals(2, asked.size());
        String late = json.writeValueAsString(new TopupPurchased(lost, acc, AutoTopupTest.PACK, 500, 900, "USD", Instant.now()));
        TestEvents.publish(Events.TOPUP_PURCHASED, acc, acc, late); // the lost one settles after all, twice
        TestEvents.publish(Events.TOPUP_PURCHASED, acc, acc, late);
        awaitBalance(acc, 140 + 500);
        Thread.sleep(1_000);
        awaitBalance(acc, 140 + 500);
        assertEquals(1, count("SELECT count(*) FROM ledger_entry WHERE account_id = $1 AND reference = $2", acc, "topup:" + lost));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> AutoTopupTest.as(TestTokens.service())
                .get("/accounts/{id}/credits/auto-topup", acc).then().body("inFlight", equalTo(asked.get(1))).body("failuresInRow", equalTo(1)));
    }

    private static void advanceClock(String by) {
        AutoTopupTest.as(TestTokens.admin()).body("{\"by\":\"" + by + "\"}").post("/admin/clock/advance").then().statusCode(200);
    }

    private long count(String sql, Object... args) {
        return pool.preparedQuery(sql).execute(Tuple.from(args)).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }

    private List<String> said(String acc, String type, String field) {
        List<String> out = new ArrayList<>();
        pool.preparedQuery("SELECT payload->>'" + field + "' FROM outbox_event WHERE subject = $1 AND type = $2 ORDER BY seq")
                .execute(Tuple.of(acc, type)).await().atMost(Duration.ofSeconds(10)).forEach(r -> out.add(r.getString(0)));
        return out;
    }
}
