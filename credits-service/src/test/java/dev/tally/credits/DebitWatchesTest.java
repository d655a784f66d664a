package dev.tally.credits;

import static dev.tally.credits.LedgerCalls.account;
import static dev.tally.credits.LedgerCalls.debit;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.credits.domain.BalanceAlerts.Alert;
import dev.tally.credits.domain.BalanceAlerts.Watch;
import dev.tally.credits.repository.AutoTopupRepository;
import dev.tally.credits.repository.BalanceAlertRepository;
import dev.tally.credits.repository.DebitWatches;
import dev.tally.credits.repository.HoldRepository;
import dev.tally.testsupport.TallyInfraResource;
import dev.tally.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The debit group's one read of holds, balance alerts and armed auto top-ups, and when it runs: behind the account locks. */
@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "credits"))
class DebitWatchesTest {
    @Inject
    Pool pool;
    @Inject
    DebitWatches watches;
    @Inject
    HoldRepository holds;
    @Inject
    BalanceAlertRepository alerts;
    @Inject
    AutoTopupRepository autoTopups;

    @Test
    void readsWhatTheHoldAlertAndAutoTopupReadsRead() {
        String a = account();
        String b = account();
        String c = account();
        String d = account();
        Instant now = Instant.now();
        for (String acc : List.of(a, b, c, d)) {
            sql("INSERT INTO credit_account (account_id, updated_at) VALUES ($1, now())", acc);
        }
        hold(a, 30, "OPEN", now.plusSeconds(600));
        hold(a, 5, "OPEN", now.minusSeconds(1)); // expired: holds nothing
        hold(a, 7, "CAPTURED", now.plusSeconds(600));
        alert(a, "low", "CREDITS", 500, false, now.minusSeconds(20));
        alert(a, "over", "OVERAGE", 100, false, now.minusSeconds(10));
        sql("INSERT INTO overage_usage (account_id, credits, reference, created_at) VALUES ($1, 40, 'o1', now()), ($1, 20, 'o2', now())", a);
        sql("INSERT INTO overage_usage (account_id, credits, reference, created_at, closed_for_period_end) VALUES ($1, 99, 'o3', now(), now())", a);
        autoTopup(a, true, null);
        alert(b, "over", "OVERAGE", 100, true, now); // passed already: no overage summed
        alert(b, "default", "DEFAULT", 50, true, now);
        sql("INSERT INTO overage_usage (account_id, credits, reference, created_at) VALUES ($1, 500, 'o4', now())", b);
        autoTopup(b, true, UUID.randomUUID()); // one in flight: not armed
        autoTopup(c, false, null); // switched off
        List<String> accounts = List.of(a, b, c, d);

        DebitWatches.Watched read = watches.read(pool, accounts, now).await().atMost(Duration.ofSeconds(10));

        assertEquals(holds.held(pool, accounts, now).await().atMost(Duration.ofSeconds(10)), read.held());
        assertEquals(Map.of(a, 30L), read.held());
        assertEquals(sorted(alerts.watches(pool, accounts).await().atMost(Duration.ofSeconds(10))), sorted(read.alerts()));
        assertEquals(Set.of(a, b), read.alerts().keySet());
        assertEquals(60, read.alerts().get(a).openOverage());
        assertEquals(List.of("low", "over"), read.alerts().get(a).alerts().stream().map(Alert::alertId).toList(), "oldest first");
        assertEquals(0, read.alerts().get(b).openOverage());
        assertEquals(autoTopups.armed(pool, accounts).await().atMost(Duration.ofSeconds(10)), read.armed());
        assertEquals(Set.of(a), read.armed().keySet());
    }

    /**
     * A debit that waits for its account's lock reads the alerts as the lock's holder left them: a
     * read inside the locking statement would see them as of before the wait and say LOW again.
     */
    @Test
    void aDebitThatWaitedForTheAccountLockSeesTheAlertItsHolderTripped() throws Exception {
        String acc = account();
        given().header("Authorization", TestTokens.bearer(TestTokens.admin())).contentType(ContentType.JSON)
                .body("{\"credits\":100,\"reason\":\"funds\"}").post("/accounts/{id}/credits/grants", acc).then().statusCode(201);
        given().header("Authorization", TestTokens.bearer(TestTokens.account(acc))).contentType(ContentType.JSON)
                .body("{\"kind\":\"CREDITS\",\"value\":50}").post("/accounts/{id}/credits/alerts", acc)
                .then().statusCode(201).body("tripped", equalTo(false));
        SqlConnection holder = pool.getConnection().await().atMost(Duration.ofSeconds(10));
        CompletableFuture<Integer> debited;
        try {
            holder.query("BEGIN").execute().await().atMost(Duration.ofSeconds(10));
            holder.preparedQuery("SELECT 1 FROM credit_account WHERE account_id = $1 FOR UPDATE").execute(Tuple.of(acc))
                    .await().atMost(Duration.ofSeconds(10));
            holder.preparedQuery("UPDATE balance_alert SET tripped = TRUE WHERE account_id = $1").execute(Tuple.of(acc))
                    .await().atMost(Duration.ofSeconds(10));
            debited = CompletableFuture.supplyAsync(() -> debit(acc, 60, null).statusCode());
            await().atMost(Duration.ofSeconds(10)).until(() -> pool.query("SELECT count(*) FROM pg_locks WHERE NOT granted").execute()
                    .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0) > 0); // the debit waits for the lock
            holder.query("COMMIT").execute().await().atMost(Duration.ofSeconds(10));
        } finally {
            holder.close().await().atMost(Duration.ofSeconds(10));
        }
        assertEquals(201, debited.get());
        long said = pool.preparedQuery("SELECT count(*) FROM outbox_event WHERE type = 'credits.low-balance' AND subject = $1")
                .execute(Tuple.of(acc)).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
        assertEquals(0, said, "the alert was tripped by the transaction the debit waited for");
    }

    private static Map<String, Watch> sorted(Map<String, Watch> watches) {
        return watches.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> new Watch(e.getValue().alerts().stream()
                .sorted(Comparator.comparing(Alert::alertId)).toList(), e.getValue().openOverage())));
    }

    private void hold(String acc, long credits, String status, Instant expires) {
        pool.preparedQuery("INSERT INTO credit_hold (id, account_id, credits, status, reason, expires_at, created_at) VALUES ($1, $2, $3, $4, 'r', $5, now())")
                .execute(Tuple.of(UUID.randomUUID(), acc, credits, status, expires.atOffset(ZoneOffset.UTC))).await().atMost(Duration.ofSeconds(10));
    }

    private void alert(String acc, String id, String kind, long value, boolean tripped, Instant created) {
        pool.preparedQuery("INSERT INTO balance_alert (account_id, alert_id, kind, value, tripped, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
                .execute(Tuple.from(List.of(acc, id, kind, value, tripped, created.atOffset(ZoneOffset.UTC)))).await().atMost(Duration.ofSeconds(10));
    }

    private void autoTopup(String acc, boolean enabled, UUID inFlight) {
        pool.preparedQuery("INSERT INTO auto_topup (account_id, threshold, pack_code, pack_credits, pack_price_minor, currency, monthly_cap_minor, "
                        + "max_failures, enabled, in_flight, month, month_spent_minor, updated_at) "
                        + "VALUES ($1, 100, 'pack-500', 500, 900, 'EUR', 5000, 3, $2, $3, date_trunc('month', now())::date, 900, now())")
                .execute(Tuple.of(acc, enabled, inFlight)).await().atMost(Duration.ofSeconds(10));
    }

    private void sql(String statement, String acc) {
        pool.preparedQuery(statement).execute(Tuple.of(acc)).await().atMost(Duration.ofSeconds(10));
    }
}
