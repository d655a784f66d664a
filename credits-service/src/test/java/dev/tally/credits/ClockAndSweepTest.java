package dev.tally.credits;

import static io.restassured.RestAssured.given;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.credits.service.ExpirySweep;
import dev.tally.testsupport.TestTokens;
import io.quarkus.scheduler.Scheduler;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;

/**
 * Base of the tests that pause the expiry sweep or move the dev clock: after each test the sweep runs
 * again and the clock is back on real time, whatever the test left behind.
 */
abstract class ClockAndSweepTest {
    @Inject
    Pool pool;
    @Inject
    Scheduler scheduler;
    @Inject
    TallyClock clock;

    @AfterEach
    void clockAndSweepBack() {
        scheduler.resume(ExpirySweep.IDENTITY);
        given().header("Authorization", TestTokens.bearer(TestTokens.admin())).delete("/admin/clock").then().statusCode(200);
    }
}
