package dev.tally.credits;

import static dev.tally.credits.LedgerCalls.account;
import static dev.tally.credits.LedgerCalls.awaitBalance;
import static dev.tally.credits.LedgerCalls.debit;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.contracts.Events;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.CreditPackSnapshot;
import dev.tally.contracts.plans.Overage;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.contracts.subscriptions.AutoTopupPaymentFailed;
import dev.tally.contracts.subscriptions.CreditTerms;
import dev.tally.contracts.subscriptions.SubscriptionEvent;
import dev.tally.contracts.subscriptions.SubscriptionState;
import dev.tally.contracts.subscriptions.TopupPurchased;
import dev.tally.credits.repository.LedgerAudit;
import dev.tally.credits.service.ExpirySweep;
import dev.tally.testsupport.TallyInfraResource;
import dev.tally.testsupport.TestEvents;
import dev.tally.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The e2e journeys' situation (issue 21's finding): Free accounts with daily credits, an auto top-up
 * armed and balance alerts set, debits crossing both (the top-up asked for, settled, still in flight
 * or declined; the alert said), then the suite's clock jumping months ahead while nobody touches
 * them. The sweep writes their expiries, and the ledger check does not name a bucket the clock only
 * just jumped past (no sweep has had a chance yet) but still names one left due beyond the grace.
 */
@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "credits"))
class DueCreditsAfterClockJumpsTest extends ClockAndSweepTest {
    private static final String PACK = "jump-pack-500";
    @Inject
    ObjectMapper json;
    @Inject
    LedgerAudit audit;

    @Test
    void theSweepExpiresTheDailyCreditsOfAccountsWithAutoTopUpsAndAlertsMonthsLaterWhateverTheirPaymentsDid() throws Exception {
        packForSale();
        String settled = account();
        String inFlight = account();
        String declined = account();
        String alertsOnly = account();
        for (String acc : List.of(settled, inFlight, declined)) {
            free(acc);
            LedgerCalls.topup(json, acc, UUID.randomUUID(), 300, UUID.randomUUID().toString());
            awaitBalance(acc, 400);
            as(TestTokens.account(acc)).body("{\"threshold\":380,\"packCode\":\"" + PACK + "\",\"monthlyCapMinor\":5000,\"currency\":\"USD\","
                    + "\"maxFailures\":2}").put("/accounts/{id}/credits/auto-topup", acc).then().statusCode(200);
            alert(acc, 390);
            debit(acc, 30, UUID.randomUUID().toString()).then().statusCode(201); // 370: below both, 70 of the day's credits left
            assertEquals(1, said(acc, "credits.auto-topup-requested").size(), acc);
            assertEquals(1, said(acc, "credits.low-balance").size(), acc);
        }
        free(alertsOnly);
        alert(alertsOnly, 80);
        debit(alertsOnly, 30, UUID.randomUUID().toString()).then().statusCode(201);
        assertEquals(1, said(alertsOnly, "credits.low-balance").size());

        UUID paid = UUID.fromString(said(settled, "credits.auto-topup-requested").get(0));
        TestEvents.publish(Events.TOPUP_PURCHASED, settled, settled,
                json.writeValueAsString(new TopupPurchased(paid, settled, PACK, 500, 500, "USD", Instant.now())));
        UUID refused = UUID.fromString(said(declined, "credits.auto-topup-requested").get(0));
        TestEvents.publish(Events.AUTO_TOPUP_PAYMENT_FAILED, declined, declined, json.writeValueAsString(
                new AutoTopupPaymentFailed(refused, declined, PACK, 500, "USD", "card_declined", "declined", Instant.now())));
        awaitBalance(settled, 870);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> as(TestTokens.admin()).get("/accounts/{id}/credits/auto-topup", declined)
                .then().body("failuresInRow", equalTo(1)).body("inFlight", equalTo(null)));
        as(TestTokens.admin()).get("/accounts/{id}/credits/auto-topup", inFlight).then() // asked, never answered
                .body("inFlight", equalTo(said(inFlight, "credits.auto-topup-requested").get(0)));
        List<String> accounts = List.of(settled, inFlight, declined, alertsOnly);
        // nothing is left holding these accounts: no transaction idle with a lock on their rows
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(List.of(), lockersOf(accounts)));

        advanceClock("P92D"); // months ahead; nobody touches the accounts from here on (plain reads only)
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String acc : accounts) {
                assertEquals(0, dailyLeft(acc), acc + ": its daily credits expired");
            }
        });
        for (String acc : accounts) {
            List<Row> expiries = sql("SELECT amount FROM ledger_entry WHERE account_id = $1 AND kind = 'EXPIRE' AND bucket = 'DAILY'", acc);
            assertEquals(1, expiries.size(), acc);
            assertEquals(-70, expiries.get(0).getLong(0), acc + ": what was left of the day");
        }
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> accounts.forEach(acc -> assertEquals(List.of(), disagreementsOf(ledgerCheck(), acc))));
    }

    @Test
    void rightAfterTheClockJumpsTheCheckCountsTheDueDailyCreditsAsPendingAndNamesThemOnceLeftDueForTheGrace() throws Exception {
        scheduler.pause(ExpirySweep.IDENTITY);
        String acc = account();
        free(acc);
        long bucket = sql("SELECT id FROM credit_bucket WHERE account_id = $1 AND kind = 'DAILY'", acc).get(0).getLong(0);
        advanceClock("P92D");
        JsonPath justAfter = ledgerCheck(); // the sweep could not have run since the jump
        assertEquals(List.of(), disagreementsOf(justAfter, acc), justAfter.prettify());
        assertTrue(justAfter.getLong("expiriesPending") >= 1, justAfter.prettify());

        Thread.sleep(1_500); // left due (the sweep paused) for longer than a grace of one second, in real time
        LedgerAudit.Result overdue = audit.check(clock.instant(), Duration.ofSeconds(1)).await().atMost(Duration.ofSeconds(10));
        assertEquals(List.of("expired_without_entry:" + bucket + ":0:100"), overdue.disagreements().stream()
                .filter(d -> d.accountId().equals(acc)).map(d -> d.kind() + ":" + d.bucketId() + ":" + d.expected() + ":" + d.actual()).toList());

        scheduler.resume(ExpirySweep.IDENTITY);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertEquals(0, dailyLeft(acc)));
        assertEquals(List.of(), audit.check(clock.instant(), Duration.ofSeconds(1)).await().atMost(Duration.ofSeconds(10)).disagreements()
                .stream().filter(d -> d.accountId().equals(acc)).toList());
    }

    private void packForSale() throws Exception {
        var pack = new CreditPackSnapshot(PACK, "500 credits", 500, 500, "USD", null, PlanSnapshot.PlanStatus.PUBLISHED);
        TestEvents.publish(Events.CREDIT_PACK_PUBLISHED, "pack:" + PACK, "pack:" + PACK, json.writeValueAsString(pack));
        await().atMost(Duration.ofSeconds(30)).until(() -> sql("SELECT 1 FROM catalog_credit_pack WHERE code = $1", PACK).size() == 1);
    }

    /** On a Free-like plan: 100 daily credits, nothing per period, BLOCK. */
    private void free(String acc) throws Exception {
        Instant start = clock.instant();
        var state = new SubscriptionState(UUID.nameUUIDFromBytes(acc.getBytes()), acc, "free", 1, BillingInterval.MONTH,
                SubscriptionState.Status.ACTIVE, start, start.plus(Duration.ofDays(30)), false, null,
                new CreditTerms(0, BillingInterval.MONTH, 100, Overage.block()), List.of(), 1, 1);
        TestEvents.publish(Events.SUBSCRIPTION_STARTED, acc, acc, json.writeValueAsString(new SubscriptionEvent(state, null)));
        awaitBalance(acc, 100);
    }

    private static void alert(String acc, long credits) {
        as(TestTokens.account(acc)).body("{\"kind\":\"CREDITS\",\"value\":" + credits + "}").post("/accounts/{id}/credits/alerts", acc)
                .then().statusCode(201).body("tripped", equalTo(false));
    }

    /** The backends other than this test's holding a lock on any of these accounts' rows, with their state. */
    private List<String> lockersOf(List<String> accounts) {
        List<String> out = new ArrayList<>();
        sql("SELECT a.pid, a.state, l.mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_stat_activity a ON a.pid = l.pid "
                + "WHERE c.relname IN ('credit_account', 'credit_bucket') AND l.pid <> pg_backend_pid() AND a.datname = current_database()")
                .forEach(r -> out.add(r.getInteger(0) + " " + r.getString(1) + " " + r.getString(2)));
        sql("SELECT a.pid, a.state, left(a.query, 80) FROM pg_stat_activity a WHERE a.datname = current_database() "
                + "AND a.state LIKE 'idle in transaction%' AND a.state_change < now() - interval '1 second'")
                .forEach(r -> out.add(r.getInteger(0) + " " + r.getString(1) + " " + r.getString(2)));
        return out.stream().distinct().toList();
    }

    private long dailyLeft(String acc) {
        return sql("SELECT COALESCE(SUM(remaining), 0)::bigint FROM credit_bucket WHERE account_id = $1 AND kind = 'DAILY'", acc).get(0).getLong(0);
    }

    private List<String> said(String acc, String type) {
        List<String> out = new ArrayList<>();
        sql("SELECT COALESCE(payload->>'requestId', payload->>'alertId') FROM outbox_event WHERE subject = $1 AND type = $2 ORDER BY seq", acc, type)
                .forEach(r -> out.add(r.getString(0)));
        return out;
    }

    private static void advanceClock(String by) {
        as(TestTokens.admin()).body("{\"by\":\"" + by + "\"}").post("/admin/clock/advance").then().statusCode(200);
    }

    private static JsonPath ledgerCheck() {
        return as(TestTokens.admin()).get("/admin/ledger/check").then().statusCode(200).extract().jsonPath();
    }

    private static List<String> disagreementsOf(JsonPath check, String acc) {
        List<Map<String, Object>> all = check.getList("disagreements");
        return all.stream().filter(d -> acc.equals(d.get("accountId")))
                .map(d -> d.get("kind") + ":" + d.get("bucketId") + ":" + d.get("expected") + ":" + d.get("actual")).sorted().toList();
    }

    private List<Row> sql(String statement, Object... params) {
        List<Row> out = new ArrayList<>();
        pool.preparedQuery(statement).execute(Tuple.from(params)).await().atMost(Duration.ofSeconds(10)).forEach(out::add);
        return out;
    }

    private static RequestSpecification as(String token) {
        return given().header("Authorization", TestTokens.bearer(token)).contentType(ContentType.JSON);
    }
}
