package dev.tally.credits;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.backbone.tx.Tx;
import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.inbox.Inbox;
import dev.tally.backbone.inbox.InboundEvent;
import dev.tally.contracts.Events;
import dev.tally.contracts.billing.UsageCloseDue;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.Overage;
import dev.tally.contracts.subscriptions.CreditTerms;
import dev.tally.contracts.subscriptions.SubscriptionEvent;
import dev.tally.contracts.subscriptions.SubscriptionState;
import dev.tally.credits.service.BillingCommands;
import dev.tally.credits.service.DebitGroups;
import dev.tally.credits.service.SubscriptionCredits;
import dev.tally.testsupport.TallyInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Renewals, billing commands and debits (with the day's resets) over the same accounts, each batch
 * walking them in another order, run at once on their own connections, round after round: every
 * path locks accounts in one order, so none deadlocks (PostgreSQL would abort one with 40P01), and
 * the ledger holds.
 */
@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "credits"))
class LockOrderTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final CreditTerms PLAN = new CreditTerms(1000, BillingInterval.MONTH, 50, Overage.block());

    @Inject
    Inbox inbox;

    @Inject
    SubscriptionCredits credits;

    @Inject
    BillingCommands commands;

    @Inject
    DebitGroups debits;

    @Inject
    TallyClock clock;

    @Inject
    Pool pool;

    @Test
    void concurrentBatchesOverTheSameAccountsInOppositeOrdersNeverDeadlock() throws Exception {
        long seed = System.nanoTime();
        System.out.println("LockOrderTest seed " + seed);
        Random random = new Random(seed);
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> accounts = IntStream.range(0, 40).mapToObj(i -> String.format("acc-lock-%s-%02d", run, i)).toList();
        Instant start = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        List<InboundEvent> started = accounts.stream().map(a -> renewal(a, start, 1)).toList();
        inbox.applyAllOnce("credits-service", Tx.Kind.CONNECTION, started, credits::applyAll).await().atMost(WAIT);
        long deadlocksBefore = deadlocks();
        AtomicInteger refused = new AtomicInteger();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        try {
            for (int round = 1; round <= 12; round++) {
                clock.advance(Duration.ofDays(1)); // every account is due its daily reset
                int revision = round + 1;
                List<CompletableFuture<?>> running = new ArrayList<>();
                Instant period = start.plus(Duration.ofDays(30L * round));
                // and a few accounts seen for the first time, created by whichever batch comes first
                List<String> fresh = IntStream.range(0, 5).mapToObj(i -> "acc-lock-" + run + "-new-" + UUID.randomUUID()).toList();
                List<InboundEvent> renewals = new ArrayList<>(accounts.stream().map(a -> renewal(a, period, revision)).toList());
                fresh.forEach(a -> renewals.add(renewal(a, period, 1)));
                List<String> backwards = new ArrayList<>(accounts);
                backwards.addAll(fresh);
                Collections.sort(backwards, Collections.reverseOrder());
                List<InboundEvent> closes = backwards.stream().map(a -> usageClose(a, period)).toList();
                List<String> shuffled = new ArrayList<>(accounts);
                Collections.shuffle(shuffled, random);
                for (String a : fresh) {
                    running.add(watch(debits.debit(new DebitGroups.Debit(a, null, null, 1, "render")), failures)); // 201 or 402: not started yet
                }
                running.add(watch(inbox.applyAllOnce("credits-service", Tx.Kind.CONNECTION, renewals, credits::applyAll), failures));
                running.add(watch(inbox.applyAllOnce("credits-service", Tx.Kind.CONNECTION, closes, commands::applyAll), failures));
                for (String a : shuffled) {
                    running.add(watch(debits.debit(new DebitGroups.Debit(a, null, null, 1, "render"))
                            .invoke(answer -> refused.addAndGet(answer.status() == 201 ? 0 : 1)), failures));
                }
                CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).exceptionally(e -> null).get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            clock.reset();
        }
        assertEquals(List.of(), failures.stream().map(Throwable::toString).toList(), "no batch failed (40P01 is a deadlock)");
        assertEquals(0, refused.get(), "every debit was covered");
        Thread.sleep(11_000); // PostgreSQL reports a backend's counters when it idles, within 10 s
        assertEquals(deadlocksBefore, deadlocks(), "deadlocks PostgreSQL detected (also those a debit group's fallback hid)");
        assertEquals(List.of("0"), rows("SELECT count(*)::text FROM credit_bucket b WHERE b.account_id LIKE 'acc-lock-" + run + "%' AND (b.remaining < 0 "
                + "OR b.remaining <> (SELECT sum(amount) FROM ledger_entry e WHERE e.bucket_id = b.id))"), "the ledger holds");
        assertEquals(List.of(String.valueOf(accounts.size() * 12)),
                rows("SELECT count(*)::text FROM ledger_entry WHERE account_id LIKE 'acc-lock-" + run + "-__' AND kind = 'DEBIT'"), "every debit once");
    }

    private static CompletableFuture<?> watch(Uni<?> work, List<Throwable> failures) {
        return work.onFailure().invoke(failures::add).subscribeAsCompletionStage().toCompletableFuture();
    }

    private static InboundEvent renewal(String acc, Instant periodStart, long revision) {
        var state = new SubscriptionState(UUID.nameUUIDFromBytes(acc.getBytes()), acc, "plus", 1, BillingInterval.MONTH,
                SubscriptionState.Status.ACTIVE, periodStart, periodStart.plus(Duration.ofDays(30)), false, null, PLAN, List.of(), 1, revision);
        return new InboundEvent(UUID.randomUUID().toString(), revision == 1 ? Events.SUBSCRIPTION_STARTED : Events.SUBSCRIPTION_RENEWED,
                "/test", acc, periodStart, new SubscriptionEvent(state, null));
    }

    /** A usage close for a period long past (applied at once, as a late command is). */
    private static InboundEvent usageClose(String acc, Instant period) {
        Instant end = period.minus(Duration.ofDays(400));
        return new InboundEvent(UUID.randomUUID().toString(), Events.USAGE_CLOSE_DUE, "/test", acc, end,
                new UsageCloseDue(UUID.nameUUIDFromBytes(acc.getBytes()), acc, end.minus(Duration.ofDays(30)), end, end.minus(Duration.ofDays(3))));
    }

    private long deadlocks() {
        return Long.parseLong(rows("SELECT deadlocks::text FROM pg_stat_database WHERE datname = current_database()").get(0));
    }

    private List<String> rows(String sql) {
        List<String> out = new ArrayList<>();
        pool.query(sql).execute().await().atMost(WAIT).forEach(r -> out.add(r.getString(0)));
        return out;
    }
}
