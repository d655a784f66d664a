package dev.tally.subscriptions;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.contracts.Events;
import dev.tally.contracts.credits.UsageClosed;
import dev.tally.subscriptions.service.UsageBills;
import dev.tally.testsupport.TestEvents;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Overage billed at once is decided in the event's transaction, paid with none open, and written
 * once: the same close arriving twice (under two event ids) is charged once; a process that died
 * after the payment was made, before its line was written, leaves the bill to be paid again with
 * the same key, and the event redelivered meanwhile finds it recorded: one line, with the first
 * payment's reference; a refused payment writes no line.
 */
@QuarkusTest
@TestProfile(NeighboursStub.class)
class UsageBillsTest {
    @Inject
    ObjectMapper json;
    @Inject
    Pool pool;
    @Inject
    UsageBills bills;

    long count(String sql, Object... args) {
        return pool.preparedQuery(sql).execute(Tuple.from(args)).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }

    String closed(UsageClosed usage) throws Exception {
        return TestEvents.publish(Events.USAGE_CLOSED, usage.accountId(), usage.accountId(), json.writeValueAsString(usage));
    }

    UsageClosed usage(String acc) {
        Instant end = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return new UsageClosed(UUID.randomUUID(), acc, end.minus(Duration.ofDays(30)), end, 6500, 1500, 150, "USD", end);
    }

    long overageLines(String acc) {
        return count("SELECT count(*) FROM charge WHERE account_id = $1 AND kind = 'OVERAGE'", acc);
    }

    @Test
    void theSameCloseArrivingTwiceUnderTwoEventIdsIsChargedOnce() throws Exception {
        String acc = "acc-" + UUID.randomUUID();
        var usage = usage(acc);
        String first = closed(usage);
        String second = closed(usage);
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM inbox_event WHERE event_id IN ($1, $2)", first, second) == 2
                && overageLines(acc) >= 1);
        Thread.sleep(1500); // the due bills' timer runs again: nothing more
        assertEquals(1, overageLines(acc));
        assertEquals(1, count("SELECT count(*) FROM usage_bill WHERE payment_key = $1 AND status = 'BILLED' AND attempts = 0", UsageBills.key(usage)));
    }

    @Test
    void aBillPaidByAProcessThatDiedBeforeItsLineWasWrittenIsChargedOnceWithThatPayment() throws Exception {
        String acc = "acc-" + UUID.randomUUID();
        var usage = usage(acc);
        String key = UsageBills.key(usage);
        // as a crash after the payment leaves it: recorded (its event applied), paid at the gateway, no line, its next attempt due
        pool.preparedQuery("INSERT INTO usage_bill (payment_key, account_id, subscription_id, description, period_start, period_end, "
                        + "amount_minor, currency, closed_at, status, attempts, next_attempt_at) "
                        + "VALUES ($1, $2, $3, 'overage: 1500 credits', $4, $5, 150, 'USD', $5, 'PENDING', 1, now() - interval '1 second')")
                .execute(Tuple.of(key, acc, usage.subscriptionId(), usage.periodStart().atOffset(ZoneOffset.UTC),
                        usage.periodEnd().atOffset(ZoneOffset.UTC))).await().atMost(Duration.ofSeconds(10));
        String redelivered = closed(usage); // and the event again (the broker redelivers it under its id, a replay under another)
        await().atMost(Duration.ofSeconds(30)).until(() -> overageLines(acc) == 1
                && count("SELECT count(*) FROM inbox_event WHERE event_id = $1", redelivered) == 1);
        assertEquals(0, bills.payDue().await().atMost(Duration.ofSeconds(10)), "nothing due any more");
        Thread.sleep(1500);
        assertEquals(1, overageLines(acc));
        // the sandbox's reference derives from the key: the line carries the payment made before the crash
        assertEquals(1, count("SELECT count(*) FROM charge WHERE account_id = $1 AND kind = 'OVERAGE' AND payment_ref = $2 AND amount_minor = 150",
                acc, "local_" + UUID.nameUUIDFromBytes(key.getBytes())));
        assertEquals(1, count("SELECT count(*) FROM usage_bill WHERE payment_key = $1 AND status = 'BILLED' AND attempts = 2", key));
    }

    @Test
    void aRefusedPaymentIsFailedWithItsCodeAndWritesNoLine() throws Exception {
        String acc = "acc-declines-" + UUID.randomUUID();
        var usage = usage(acc);
        closed(usage);
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM usage_bill WHERE payment_key = $1 AND status = 'FAILED' "
                + "AND failure_code = 'card_declined'", UsageBills.key(usage)) == 1);
        assertEquals(0, overageLines(acc));
    }
}
