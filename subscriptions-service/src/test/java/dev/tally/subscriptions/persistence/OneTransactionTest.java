package dev.tally.subscriptions.persistence;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.backbone.tx.Transactions;
import dev.tally.contracts.Events;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.Overage;
import dev.tally.contracts.plans.PlanPrice;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.subscriptions.NeighboursStub;
import dev.tally.subscriptions.sales.SalesInquiries;
import dev.tally.subscriptions.service.SubscriptionService;
import dev.tally.testsupport.TestEvents;
import dev.tally.testsupport.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.vertx.RunOnVertxContext;
import io.quarkus.test.vertx.UniAsserter;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A change made through Panache commits with its outbox row in the session's one transaction, or
 * rolls back with it: the subscription a start writes and {@code subscription.started}; the sales
 * inquiry, {@code sales-inquiry.received} and the email to sales.
 */
@QuarkusTest
@TestProfile(NeighboursStub.class)
class OneTransactionTest {
    @Inject
    Transactions transactions;
    @Inject
    SubscriptionService subscriptions;
    @Inject
    SalesInquiries inquiries;
    @Inject
    Pool pool;
    @Inject
    ObjectMapper json;

    @BeforeEach
    void catalog() throws Exception {
        TestEvents.publish(Events.PLAN_PUBLISHED, "free", "free", json.writeValueAsString(new PlanSnapshot("free", 1, "Free", "", 0, true,
                true, List.of(), 0, BillingInterval.MONTH, 100, 1, List.of(), Overage.block(), PlanSnapshot.PlanStatus.PUBLISHED, Instant.now())));
        TestEvents.publish(Events.PLAN_PUBLISHED, "enterprise", "enterprise", json.writeValueAsString(new PlanSnapshot("enterprise", 1,
                "Enterprise", "", 30, false, false, List.of(new PlanPrice(BillingInterval.MONTH, 10000, "USD", null)), 50000,
                BillingInterval.MONTH, 0, 1, List.of(), Overage.block(), PlanSnapshot.PlanStatus.PUBLISHED, Instant.now())));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().header("Authorization", TestTokens.bearer(TestTokens.service()))
                .get("/catalog/plans").then().body("code", Matchers.hasItems("free", "enterprise")));
    }

    @Test
    @RunOnVertxContext
    void aStartedSubscriptionAndItsEventCommitTogetherOrNotAtAll(UniAsserter asserter) {
        String failed = "acc-" + UUID.randomUUID();
        asserter.assertFailedWith(() -> transactions.inSession(tx -> subscriptions.start(tx, failed)
                .chain(() -> Uni.createFrom().failure(new IllegalStateException("after the writes")))), IllegalStateException.class);
        asserter.assertEquals(() -> count("SELECT count(*) FROM subscription WHERE account_id = $1", failed), 0L);
        asserter.assertEquals(() -> count("SELECT count(*) FROM outbox_event WHERE subject = $1", failed), 0L);

        String started = "acc-" + UUID.randomUUID();
        asserter.execute(() -> transactions.inSession(tx -> subscriptions.start(tx, started)));
        asserter.assertEquals(() -> count("SELECT count(*) FROM subscription WHERE account_id = $1", started), 1L);
        asserter.assertEquals(() -> count("SELECT count(*) FROM outbox_event WHERE subject = $1 AND type = $2", started,
                Events.SUBSCRIPTION_STARTED.name()), 1L);
        // started again: the account keeps its subscription and nothing more is announced
        asserter.execute(() -> transactions.inSession(tx -> subscriptions.start(tx, started)));
        asserter.assertEquals(() -> count("SELECT count(*) FROM outbox_event WHERE subject = $1", started), 1L);
    }

    @Test
    @RunOnVertxContext
    void anInquiryItsEventAndItsEmailCommitTogetherOrNotAtAll(UniAsserter asserter) {
        String failed = "acc-" + UUID.randomUUID();
        asserter.assertFailedWith(() -> transactions.inSession(tx -> inquiries.inquire(tx, failed, "enterprise", "cto@example.com", "hi")
                .chain(() -> Uni.createFrom().failure(new IllegalStateException("after the writes")))), IllegalStateException.class);
        for (String table : List.of("sales_inquiry", "notification")) {
            asserter.assertEquals(() -> count("SELECT count(*) FROM " + table + " WHERE account_id = $1", failed), 0L);
        }
        asserter.assertEquals(() -> count("SELECT count(*) FROM outbox_event WHERE subject = $1", failed), 0L);

        String asked = "acc-" + UUID.randomUUID();
        asserter.execute(() -> transactions.inSession(tx -> inquiries.inquire(tx, asked, "enterprise", "cto@example.com", "hi")));
        for (String table : List.of("sales_inquiry", "notification")) {
            asserter.assertEquals(() -> count("SELECT count(*) FROM " + table + " WHERE account_id = $1", asked), 1L);
        }
        asserter.assertEquals(() -> count("SELECT count(*) FROM outbox_event WHERE subject = $1 AND type = $2", asked,
                Events.SALES_INQUIRY_RECEIVED.name()), 1L);
    }

    private Uni<Long> count(String sql, Object... args) {
        return pool.preparedQuery(sql).execute(Tuple.from(args)).map(rows -> rows.iterator().next().getLong(0));
    }
}
