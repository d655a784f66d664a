package dev.tally.credits;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.backbone.tx.Tx;
import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.inbox.Inbox;
import dev.tally.backbone.inbox.InboundEvent;
import dev.tally.contracts.Events;
import dev.tally.contracts.billing.CreditPeriodEnded;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.Overage;
import dev.tally.contracts.subscriptions.CreditTerms;
import dev.tally.contracts.subscriptions.SubscriptionEvent;
import dev.tally.contracts.subscriptions.SubscriptionState;
import dev.tally.credits.service.BillingCommands;
import dev.tally.credits.service.ParkedEventsMonitor;
import dev.tally.credits.service.SubscriptionCredits;
import dev.tally.testsupport.TallyInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An event that comes before its turn waits, visibly, and nothing behind a missing one is applied
 * out of order; a billing command that names a period not reached yet waits for it.
 */
@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "credits"))
class ParkedEventsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    Inbox inbox;

    @Inject
    SubscriptionCredits credits;

    @Inject
    BillingCommands commands;

    @Inject
    ParkedEventsMonitor monitor;

    @Inject
    TallyClock clock;

    @Inject
    Pool pool;

    @Test
    void aMissingRevisionKeepsTheLaterOnesParkedAndVisibleUntilItArrives() {
        Instant p0 = clock.instant().minus(Duration.ofDays(10)).truncatedTo(ChronoUnit.SECONDS);
        String inOrder = "acc-ordered-" + UUID.randomUUID();
        String gap = "acc-gap-" + UUID.randomUUID();
        EventsInAnyOrderTest.history(inOrder, p0).forEach(e -> apply(List.of(e)));
        List<InboundEvent> events = EventsInAnyOrderTest.history(gap, p0);
        InboundEvent third = events.remove(2); // revision 3 is missing (dead-lettered, say)
        apply(events);
        assertEquals(List.of("2"), rows("SELECT subscription_revision::text FROM credit_account WHERE account_id = '" + gap + "'"));
        assertEquals(List.of("4", "5"), rows("SELECT revision::text FROM parked_event WHERE account_id = '" + gap + "' ORDER BY revision"));
        var parked = monitor.status().await().atMost(WAIT);
        assertTrue(parked.count() >= 2 && !parked.stuck(), parked.toString());
        given().get("/q/health/group/parked-events").then().statusCode(200).body("status", equalTo("UP"));
        clock.set(clock.instant().plus(Duration.ofMinutes(6)));
        try {
            assertTrue(monitor.status().await().atMost(WAIT).stuck());
            given().get("/q/health/group/parked-events").then().statusCode(503).body("checks[0].data.parked", equalTo((int) parked.count()));
            given().get("/q/health/ready").then().statusCode(200); // the service serves on; only this group is down
        } finally {
            clock.reset();
        }
        apply(List.of(third));
        assertEquals(List.of(), rows("SELECT revision::text FROM parked_event WHERE account_id = '" + gap + "'"));
        SameLedger.assertSameLedger(pool, inOrder, gap);
        given().get("/q/metrics").then().statusCode(200).body(containsString("tally_credits_parked_events"));
    }

    @Test
    void aCreditPeriodCommandBeforeTheEventThatStartsItsPeriodWaitsForIt() {
        Instant start = clock.instant().minus(Duration.ofDays(40)).truncatedTo(ChronoUnit.SECONDS);
        Instant end = start.atOffset(ZoneOffset.UTC).plusYears(1).toInstant();
        Instant boundary = start.atOffset(ZoneOffset.UTC).plusMonths(1).toInstant();
        String inOrder = "acc-ordered-" + UUID.randomUUID();
        String early = "acc-early-" + UUID.randomUUID();
        apply(List.of(yearly(inOrder, start, end)));
        command(monthEnded(inOrder, start, end, boundary));
        command(monthEnded(early, start, end, boundary)); // the scheduler was quicker than this service
        assertEquals(List.of(), rows("SELECT kind FROM ledger_entry WHERE account_id = '" + early + "'"));
        assertEquals(List.of("credit-period.ended"), rows("SELECT event_type FROM parked_event WHERE account_id = '" + early + "'"));
        apply(List.of(yearly(early, start, end)));
        assertEquals(List.of(), rows("SELECT event_type FROM parked_event WHERE account_id = '" + early + "'"));
        SameLedger.assertSameLedger(pool, inOrder, early);
        assertEquals(List.of("GRANT 1000", "FORFEIT -1000", "GRANT 1000"),
                rows("SELECT kind || ' ' || amount FROM ledger_entry WHERE account_id = '" + early + "' ORDER BY id"));
        command(monthEnded(early, start.minus(Duration.ofDays(365)), start, start)); // a period the account has left: late, a no-op
        assertEquals(List.of(), rows("SELECT event_type FROM parked_event WHERE account_id = '" + early + "'"));
        assertEquals(3, rows("SELECT kind FROM ledger_entry WHERE account_id = '" + early + "'").size());
    }

    private InboundEvent yearly(String acc, Instant start, Instant end) {
        var state = new SubscriptionState(UUID.nameUUIDFromBytes(acc.getBytes()), acc, "studio", 1, BillingInterval.YEAR,
                SubscriptionState.Status.ACTIVE, start, end, false, null, new CreditTerms(1000, BillingInterval.MONTH, 0, Overage.block()),
                List.of(), 1, 1);
        return new InboundEvent(UUID.randomUUID().toString(), Events.SUBSCRIPTION_STARTED, "/test", acc, start, new SubscriptionEvent(state, null));
    }

    private static InboundEvent monthEnded(String acc, Instant start, Instant end, Instant boundary) {
        return new InboundEvent(UUID.randomUUID().toString(), Events.CREDIT_PERIOD_ENDED, "/test", acc, boundary,
                new CreditPeriodEnded(UUID.nameUUIDFromBytes(acc.getBytes()), acc, start, end, boundary));
    }

    private void apply(List<InboundEvent> batch) {
        inbox.applyAllOnce("credits-service", Tx.Kind.CONNECTION, batch, credits::applyAll).await().atMost(WAIT);
    }

    private void command(InboundEvent event) {
        inbox.applyAllOnce("credits-service", Tx.Kind.CONNECTION, List.of(event), commands::applyAll).await().atMost(WAIT);
    }

    private List<String> rows(String sql) {
        List<String> out = new ArrayList<>();
        pool.query(sql).execute().await().atMost(WAIT).forEach(r -> out.add(r.getString(0)));
        return out;
    }
}
