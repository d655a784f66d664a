package dev.tally.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.e2e.Suite.Service;
import dev.tally.testsupport.TestTokens;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The ledger invariant over every account of the suite, after every other test class of this JVM
 * (junit-platform.properties orders it last): each bucket equals its entries, each balance the entries
 * of its live buckets, and no bucket keeps credits past its expiry, however far the journeys moved
 * the clock. A bucket due only since the clock's last jump is pending for the grace (30 s of real
 * time, the sweep runs every 5 s); so this waits, bounded, for a check with nothing pending and
 * nothing disagreeing. A bucket the sweep never expires stays pending, then is named: it fails.
 */
@Order(Integer.MAX_VALUE)
class LedgerAfterTheJourneysTest {
    private final Suite suite = Suite.get();

    @Test
    void everyAccountOfTheSuiteAgreesWithItsEntriesOnceTheSweepHasHadItsChance() {
        AtomicReference<String> last = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            var check = given().baseUri(suite.url(Service.CREDITS)).header("Authorization", TestTokens.bearer(TestTokens.admin()))
                    .get("/admin/ledger/check").then().statusCode(200).extract();
            last.set(check.asString());
            assertTrue(check.<Boolean>path("holds"), () -> "ledger check: " + last.get());
            assertEquals(0, check.<Integer>path("expiriesPending"), () -> "expiries still pending: " + last.get());
        });
    }
}
