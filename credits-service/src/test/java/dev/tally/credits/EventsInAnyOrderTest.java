package dev.tally.credits;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.backbone.tx.Tx;
import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.inbox.Inbox;
import dev.tally.backbone.inbox.InboundEvent;
import dev.tally.contracts.EventType;
import dev.tally.contracts.Events;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.Overage;
import dev.tally.contracts.subscriptions.ChangeDirection;
import dev.tally.contracts.subscriptions.ChangeTiming;
import dev.tally.contracts.subscriptions.CreditTerms;
import dev.tally.contracts.subscriptions.PlanChange;
import dev.tally.contracts.subscriptions.SubscriptionEvent;
import dev.tally.contracts.subscriptions.SubscriptionState;
import dev.tally.contracts.subscriptions.TopupPurchased;
import dev.tally.credits.service.SubscriptionCredits;
import dev.tally.testsupport.TallyInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Any order and any duplication of one account's subscription events and top-ups leave the ledger
 * that in-order delivery leaves: the same entries, buckets and terms. Each case shuffles one
 * account's history with a seed (printed, so a failure can be replayed), adds repeats under the same
 * and under other event ids, and delivers it in one batch, one event per batch, or random chunks.
 */
@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "credits"))
class EventsInAnyOrderTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    static final CreditTerms BASIC = new CreditTerms(100, BillingInterval.MONTH, 10, Overage.block());
    static final CreditTerms PRO = new CreditTerms(300, BillingInterval.MONTH, 0, Overage.block());

    @Inject
    Inbox inbox;

    @Inject
    SubscriptionCredits credits;

    @Inject
    TallyClock clock;

    @Inject
    Pool pool;

    enum Delivery { ONE_BATCH, ONE_EVENT_PER_BATCH, RANDOM_CHUNKS }

    static Stream<Arguments> cases() {
        long base = System.nanoTime();
        return LongStream.range(0, 6).boxed().flatMap(i -> Stream.of(Delivery.values()).map(d -> Arguments.of(base + 31 * i, d)));
    }

    @ParameterizedTest(name = "seed {0}, {1}")
    @MethodSource("cases")
    void anyOrderAndAnyRepeatsLeaveTheLedgerOfInOrderDelivery(long seed, Delivery delivery) {
        System.out.println("EventsInAnyOrderTest seed " + seed + " " + delivery);
        Random random = new Random(seed);
        Instant p0 = clock.instant().minus(Duration.ofDays(10)).truncatedTo(ChronoUnit.SECONDS);
        String inOrder = "acc-ordered-" + UUID.randomUUID();
        String shuffled = "acc-shuffled-" + UUID.randomUUID();
        for (InboundEvent event : history(inOrder, p0)) {
            apply(List.of(event));
        }
        List<InboundEvent> events = new ArrayList<>(history(shuffled, p0));
        for (int i = 0; i < 4; i++) { // repeats: the same event again, or its revision / purchase under another event id
            InboundEvent repeat = events.get(random.nextInt(events.size()));
            events.add(random.nextBoolean() ? repeat
                    : new InboundEvent(UUID.randomUUID().toString(), repeat.type(), repeat.source(), repeat.subject(), repeat.time(), repeat.payload()));
        }
        Collections.shuffle(events, random);
        System.out.println("  delivered: " + events.stream().map(EventsInAnyOrderTest::label).toList());
        deliver(events, delivery, random);
        SameLedger.assertSameLedger(pool, inOrder, shuffled);
        assertEquals(List.of("0"), rows("SELECT count(*)::text FROM parked_event WHERE account_id = $1", shuffled), "nothing left parked");
    }

    void deliver(List<InboundEvent> events, Delivery delivery, Random random) {
        switch (delivery) {
            case ONE_BATCH -> apply(events);
            case ONE_EVENT_PER_BATCH -> events.forEach(e -> apply(List.of(e)));
            case RANDOM_CHUNKS -> {
                for (int i = 0; i < events.size(); ) {
                    int n = 1 + random.nextInt(4);
                    apply(events.subList(i, Math.min(events.size(), i + n)));
                    i += n;
                }
            }
        }
    }

    void apply(List<InboundEvent> batch) {
        inbox.applyAllOnce("credits-service", Tx.Kind.CONNECTION, batch, credits::applyAll).await().atMost(WAIT);
    }

    /** Started on basic, an immediate change to pro (its grant), a change scheduled, applied at the period end, a renewal, two top-ups. */
    static List<InboundEvent> history(String acc, Instant p0) {
        Instant changedAt = p0.plus(Duration.ofDays(5));
        Instant p1 = changedAt.plus(Duration.ofDays(30));
        Instant p2 = p1.plus(Duration.ofDays(30));
        PlanChange upgrade = new PlanChange("basic", 1, BASIC, ChangeTiming.IMMEDIATE, ChangeDirection.UPGRADE, 25L * 86_400, 30L * 86_400);
        PlanChange downgrade = new PlanChange("pro", 1, PRO, ChangeTiming.END_OF_PERIOD, ChangeDirection.DOWNGRADE, 0, 30L * 86_400);
        List<InboundEvent> events = new ArrayList<>();
        events.add(subscription(Events.SUBSCRIPTION_STARTED, state(acc, "basic", p0, p0.plus(Duration.ofDays(30)), BASIC, 1), null));
        events.add(subscription(Events.SUBSCRIPTION_PLAN_CHANGED, state(acc, "pro", changedAt, p1, PRO, 2), upgrade));
        events.add(subscription(Events.SUBSCRIPTION_CHANGE_SCHEDULED, state(acc, "pro", changedAt, p1, PRO, 3), null));
        events.add(subscription(Events.SUBSCRIPTION_PLAN_CHANGED, state(acc, "basic", p1, p2, BASIC, 4), downgrade));
        events.add(subscription(Events.SUBSCRIPTION_RENEWED, state(acc, "basic", p2, p2.plus(Duration.ofDays(30)), BASIC, 5), null));
        events.add(topup(acc, UUID.nameUUIDFromBytes((acc + "-a").getBytes()), 500));
        events.add(topup(acc, UUID.nameUUIDFromBytes((acc + "-b").getBytes()), 200));
        return events;
    }

    static InboundEvent topup(String acc, UUID purchase, long credits) {
        return new InboundEvent(UUID.randomUUID().toString(), Events.TOPUP_PURCHASED, "/test", acc, Instant.now(),
                new TopupPurchased(purchase, acc, "pack-" + credits, credits, credits * 2, "USD", Instant.now()));
    }

    static SubscriptionState state(String acc, String plan, Instant start, Instant end, CreditTerms terms, long revision) {
        return new SubscriptionState(UUID.nameUUIDFromBytes(acc.getBytes()), acc, plan, 1, BillingInterval.MONTH, SubscriptionState.Status.ACTIVE,
                start, end, false, null, terms, List.of(), 1, revision);
    }

    static InboundEvent subscription(EventType<SubscriptionEvent> type, SubscriptionState s, PlanChange change) {
        return new InboundEvent(UUID.randomUUID().toString(), type, "/test", s.accountId(), s.periodStart(), new SubscriptionEvent(s, change));
    }

    static String label(InboundEvent e) {
        return e.is(Events.TOPUP_PURCHASED) ? "topup " + e.payload(Events.TOPUP_PURCHASED).credits()
                : "rev " + ((SubscriptionEvent) e.payload()).subscription().revision();
    }

    List<String> rows(String sql, String acc) {
        return SameLedger.rows(pool, sql, acc);
    }
}
