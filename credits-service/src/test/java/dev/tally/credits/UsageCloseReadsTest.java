package dev.tally.credits;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.credits.domain.UsageSoFar;
import dev.tally.credits.repository.UsageCloseReads;
import dev.tally.testsupport.TallyInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.vertx.RunOnVertxContext;
import io.quarkus.test.vertx.UniAsserter;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Usage closes read through Panache: a period's close as the usage close wrote it (natively), the latest if there are two. */
@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false)
class UsageCloseReadsTest {
    private static final String INSERT = "INSERT INTO usage_close (subscription_id, period_end, account_id, overage_credits, amount_minor, "
            + "currency, closed_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
    @Inject
    UsageCloseReads closes;
    @Inject
    Pool pool;

    @Test
    @RunOnVertxContext
    void aPeriodsCloseIsReadAsWrittenTheLatestOfTwoAndNoneForAPeriodNotClosed(UniAsserter asserter) {
        String account = "close-reads-" + UUID.randomUUID();
        Instant end = Instant.parse("2031-02-01T00:00:00Z");
        Instant first = end.minusSeconds(3 * 86_400);
        Instant later = first.plusSeconds(3_600);
        asserter.execute(() -> pool.preparedQuery(INSERT).executeBatch(java.util.List.of(
                row(UUID.randomUUID(), end, account, 120, 240, "EUR", first),
                row(UUID.randomUUID(), end, account, 30, 60, null, later))));
        asserter.assertEquals(() -> closes.closeOf(account, end), Optional.of(new UsageSoFar.MadeClose(end, 30, 60, null, later)));
        asserter.assertEquals(() -> closes.closeOf(account, end.plusSeconds(86_400)), Optional.empty());
        asserter.assertEquals(() -> closes.closeOf("another-" + account, end), Optional.empty());
    }

    private static Tuple row(UUID subscription, Instant end, String account, long credits, long amount, String currency, Instant closedAt) {
        return Tuple.from(Arrays.asList(subscription, end.atOffset(ZoneOffset.UTC), account, credits, amount, currency,
                closedAt.atOffset(ZoneOffset.UTC)));
    }
}
