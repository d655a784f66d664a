package dev.tally.credits.bench;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.credits.service.ExpirySweep;
import dev.tally.testsupport.TallyInfraResource;
import dev.tally.testsupport.TestTokens;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Benchmark, not a timed test: runs only with {@code -Dtally.bench=ledger-check}. Seeds N accounts
 * (default 100,000, the renewal storm's size) with a SUBSCRIPTION bucket (a grant and a debit), a
 * TOPUP and a PROMO bucket expired a minute ago whose entry was never written, then times the ledger
 * check (every PROMO named), one sweep expiring all N, and the check again (it holds), beside the
 * check as it was before expiries (buckets against their entries only) on the same rows.
 */
@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "credits"))
@EnabledIfSystemProperty(named = "tally.bench", matches = "ledger-check")
class LedgerCheckBenchmark {
    private static final int ACCOUNTS = Integer.getInteger("tally.bench.accounts", 100_000);
    private static final String BUCKETS_ONLY = "SELECT b.id, b.account_id, b.remaining, COALESCE(SUM(e.amount), 0) AS total FROM credit_bucket b "
            + "LEFT JOIN ledger_entry e ON e.bucket_id = b.id GROUP BY b.id HAVING b.remaining <> COALESCE(SUM(e.amount), 0) OR b.remaining < 0";

    @Inject
    Pool pool;
    @Inject
    Scheduler scheduler;
    @Inject
    ExpirySweep sweep;
    @Inject
    TallyClock clock;

    @Test
    void theLedgerCheckAndTheExpirySweepOverTheRenewalStormsAccounts() {
        scheduler.pause(ExpirySweep.IDENTITY);
        try {
            var now = clock.instant().atOffset(ZoneOffset.UTC);
            String run = "bench-" + System.nanoTime() + "-";
            sql("INSERT INTO credit_account (account_id, updated_at) SELECT $1 || g, $2 FROM generate_series(1, $3) g", run, now, ACCOUNTS);
            sql("INSERT INTO credit_bucket (account_id, kind, remaining, expires_at, created_at) "
                    + "SELECT $1 || g, k.kind, k.remaining, $2::timestamptz + k.expires, $2::timestamptz - interval '1 day' FROM generate_series(1, $3) g, "
                    + "(VALUES ('SUBSCRIPTION', 700, interval '10 days'), ('TOPUP', 500, NULL), ('PROMO', 30, interval '-1 minute')) "
                    + "AS k(kind, remaining, expires)", run, now, ACCOUNTS);
            sql("INSERT INTO ledger_entry (account_id, bucket_id, bucket, kind, amount, reason, reference, created_at) "
                    + "SELECT account_id, id, kind, 'GRANT', remaining + CASE kind WHEN 'SUBSCRIPTION' THEN 300 ELSE 0 END, 'seed', 'seed:' || id, $2 "
                    + "FROM credit_bucket WHERE account_id LIKE $1 || '%' ORDER BY id", run, now);
            sql("INSERT INTO ledger_entry (account_id, bucket_id, bucket, kind, amount, reason, reference, created_at) "
                    + "SELECT account_id, id, kind, 'DEBIT', -300, 'seed', '', $2 FROM credit_bucket "
                    + "WHERE account_id LIKE $1 || '%' AND kind = 'SUBSCRIPTION' ORDER BY id", run, now);
            sql("ANALYZE credit_bucket");
            sql("ANALYZE ledger_entry");
            for (int i = 0; i < 3; i++) {
                long started = System.nanoTime();
                JsonPath check = check();
                System.out.printf("ledger check, %d accounts with an overdue expiry each: %d ms (%d disagreements)%n", ACCOUNTS,
                        (System.nanoTime() - started) / 1_000_000, check.getLong("disagreementCount"));
                assertTrue(check.getLong("disagreementCount") >= ACCOUNTS);
            }
            long started = System.nanoTime();
            int expired = sweep.sweep().await().atMost(Duration.ofMinutes(10));
            System.out.printf("one sweep expired %d buckets: %d ms%n", expired, (System.nanoTime() - started) / 1_000_000);
            assertTrue(expired >= ACCOUNTS);
            for (int i = 0; i < 3; i++) {
                started = System.nanoTime();
                sql(BUCKETS_ONLY);
                System.out.printf("baseline, the check as it was (buckets against their entries only): %d ms%n",
                        (System.nanoTime() - started) / 1_000_000);
                started = System.nanoTime();
                JsonPath check = check();
                System.out.printf("ledger check, %d accounts, all in order: %d ms%n", ACCOUNTS, (System.nanoTime() - started) / 1_000_000);
                assertEquals(0, check.getLong("disagreementCount"), check.prettify());
            }
        } finally {
            scheduler.resume(ExpirySweep.IDENTITY);
        }
    }

    private static JsonPath check() {
        return given().header("Authorization", TestTokens.bearer(TestTokens.admin())).get("/admin/ledger/check")
                .then().statusCode(200).extract().jsonPath();
    }

    private void sql(String statement, Object... params) {
        pool.preparedQuery(statement).execute(Tuple.from(params)).await().atMost(Duration.ofMinutes(5));
    }
}
