package dev.tally.credits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Subscription events are consumed a polled batch at a time, the ledger changed in memory and
 * written together. A batch must leave exactly the ledger, buckets and announcements that the same
 * events leave when each is applied in a transaction of its own.
 */
@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "credits"))
class SubscriptionBatchesTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    Inbox inbox;

    @Inject
    SubscriptionCredits credits;

    @Inject
    TallyClock clock;

    @Inject
    Pool pool;

    @Test
    void oneAccountsEventsInOneBatchLeaveTheSameLedgerAsEachAppliedAlone() {
        String batched = "acc-batch-" + UUID.randomUUID();
        String alone = "acc-alone-" + UUID.randomUUID();
        Instant p0 = clock.instant().minus(Duration.ofDays(40));
        inbox.applyAllOnce("credits-service", Tx.Kind.CONNECTION, history(batched, p0), credits::applyAll).await().atMost(WAIT);
        for (InboundEvent event : history(alone, p0)) {
            inbox.applyAllOnce("credits-service", Tx.Kind.CONNECTION, List.of(event), credits::applyAll).await().atMost(WAIT);
        }
        List<String> ledger = rows("SELECT kind || ' ' || bucket || ' ' || amount || ' ' || reason FROM ledger_entry WHERE account_id = $1 ORDER BY id", batched);
        assertFalse(ledger.isEmpty());
        assertEquals(rows("SELECT kind || ' ' || bucket || ' ' || amount || ' ' || reason FROM ledger_entry WHERE account_id = $1 ORDER BY id", alone), ledger);
        String buckets = "SELECT kind || ' ' || remaining || ' ' || coalesce(expires_at::text, '-') FROM credit_bucket WHERE account_id = $1 ORDER BY id";
        assertEquals(rows(buckets, alone), rows(buckets, batched));
        String announced = "SELECT type || ' ' || (payload->>'credits') || ' ' || (payload->>'balance') FROM outbox_event WHERE subject = $1 ORDER BY seq";
        assertEquals(rows(announced, alone), rows(announced, batched));
        String account = "SELECT subscription_revision || ' ' || daily_credits || ' ' || coalesce(daily_day::text, '-') || ' ' || period_end "
                + "|| ' ' || credits_per_period FROM credit_account WHERE account_id = $1";
        assertEquals(rows(account, alone), rows(account, batched));
        long exact = pool.query("SELECT count(*) FROM credit_bucket b WHERE b.account_id IN ('" + batched + "', '" + alone + "') AND b.remaining = "
                + "(SELECT sum(amount) FROM ledger_entry e WHERE e.bucket_id = b.id)").execute().await().atMost(WAIT).iterator().next().getLong(0);
        assertEquals(rows(buckets, alone).size() * 2L, exact, "every bucket holds the sum of its entries");
    }

    /** Started, an immediate prorated upgrade, a renewal, a top-up, a stale repeat of the start, then a revert to free. */
    private List<InboundEvent> history(String acc, Instant p0) {
        Instant p1 = p0.plus(Duration.ofDays(30));
        Instant p2 = p1.plus(Duration.ofDays(30));
        CreditTerms basic = new CreditTerms(100, BillingInterval.MONTH, 10, Overage.block());
        CreditTerms pro = new CreditTerms(300, BillingInterval.MONTH, 0, Overage.block());
        CreditTerms free = new CreditTerms(0, BillingInterval.MONTH, 25, Overage.block());
        List<InboundEvent> events = new ArrayList<>();
        events.add(subscription(Events.SUBSCRIPTION_STARTED, state(acc, "basic", p0, p1, basic, 1), null));
        events.add(subscription(Events.SUBSCRIPTION_PLAN_CHANGED, state(acc, "pro", p0, p1, pro, 2),
                new PlanChange("basic", 1, basic, ChangeTiming.IMMEDIATE_PRORATED, ChangeDirection.UPGRADE, 15L * 86_400, 30L * 86_400)));
        events.add(subscription(Events.SUBSCRIPTION_RENEWED, state(acc, "pro", p1, p2, pro, 3), null));
        events.add(new InboundEvent(UUID.randomUUID().toString(), Events.TOPUP_PURCHASED, "/test", acc, clock.instant(),
                new TopupPurchased(UUID.randomUUID(), acc, "pack-500", 500, 900, "USD", clock.instant())));
        events.add(subscription(Events.SUBSCRIPTION_STARTED, state(acc, "basic", p0, p1, basic, 1), null));
        events.add(subscription(Events.SUBSCRIPTION_REVERTED_TO_FREE, state(acc, "free", p2, p2.plus(Duration.ofDays(30)), free, 4),
                new PlanChange("pro", 1, pro, ChangeTiming.END_OF_PERIOD, ChangeDirection.DOWNGRADE, 0, 30L * 86_400)));
        return events;
    }

    private static SubscriptionState state(String acc, String plan, Instant start, Instant end, CreditTerms terms, long revision) {
        return new SubscriptionState(UUID.nameUUIDFromBytes(acc.getBytes()), acc, plan, 1, BillingInterval.MONTH, SubscriptionState.Status.ACTIVE,
                start, end, false, null, terms, List.of(), 1, revision);
    }

    private static InboundEvent subscription(EventType<SubscriptionEvent> type, SubscriptionState s, PlanChange change) {
        return new InboundEvent(UUID.randomUUID().toString(), type, "/test", s.accountId(), s.periodStart(), new SubscriptionEvent(s, change));
    }

    private List<String> rows(String sql, String acc) {
        List<String> out = new ArrayList<>();
        pool.preparedQuery(sql).execute(Tuple.of(acc)).await().atMost(WAIT).forEach(r -> out.add(r.getString(0)));
        return out;
    }
}
