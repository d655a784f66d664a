package dev.tally.credits;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.contracts.Events;
import dev.tally.contracts.billing.CreditPeriodEnded;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.Overage;
import dev.tally.contracts.subscriptions.CreditTerms;
import dev.tally.contracts.subscriptions.SubscriptionEvent;
import dev.tally.contracts.subscriptions.SubscriptionState;
import dev.tally.testsupport.TallyInfraResource;
import dev.tally.testsupport.TestEvents;
import dev.tally.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A yearly plan granting monthly: each credit-period.ended forfeits the ended month's rest and grants the next, once. */
@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "credits"))
class CreditPeriodTest {
    // the year began 40 days ago, so its first month is over and the second is running
    private static final Instant START = Instant.now().minus(Duration.ofDays(40)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    private static final Instant END = START.atOffset(ZoneOffset.UTC).plusYears(1).toInstant();
    private static final Instant FIRST_BOUNDARY = START.atOffset(ZoneOffset.UTC).plusMonths(1).toInstant();

    @Inject
    ObjectMapper json;

    private void subscribedYearly(String acc, UUID sub, long revision) throws Exception {
        var state = new SubscriptionState(sub, acc, "studio", 1, BillingInterval.YEAR, SubscriptionState.Status.ACTIVE, START, END,
                false, null, new CreditTerms(1000, BillingInterval.MONTH, 0, Overage.block()), List.of(), 1, revision);
        TestEvents.publish(Events.SUBSCRIPTION_STARTED, acc, acc, json.writeValueAsString(new SubscriptionEvent(state, null)));
    }

    private String monthEnded(String acc, UUID sub, Instant periodStart, Instant boundary, String eventId) throws Exception {
        return TestEvents.publish(eventId, Events.CREDIT_PERIOD_ENDED, acc, acc,
                json.writeValueAsString(new CreditPeriodEnded(sub, acc, periodStart, END, boundary)));
    }

    private static io.restassured.specification.RequestSpecification service() {
        return given().header("Authorization", TestTokens.bearer(TestTokens.service())).contentType(ContentType.JSON);
    }

    @Test
    void aMonthEndingForfeitsWhatIsLeftOfItsGrantAndGrantsTheNextMonthOnce() throws Exception {
        String acc = "acc-" + UUID.randomUUID();
        UUID sub = UUID.randomUUID();
        subscribedYearly(acc, sub, 1);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> service().get("/accounts/{id}/credits/ledger", acc).then()
                .body("findAll { it.kind == 'GRANT' }.amount", equalTo(List.of(1000))));
        // the first month's grant ended at the first boundary; nothing of it is spendable now (the expiry sweep, or this read,
        // forfeits it as of that boundary; the command then finds nothing left to forfeit)
        service().get("/accounts/{id}/credits", acc).then().body("available", equalTo(0));
        String id = monthEnded(acc, sub, START, FIRST_BOUNDARY, UUID.randomUUID().toString());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> service().get("/accounts/{id}/credits", acc).then()
                .body("available", equalTo(1000)));
        monthEnded(acc, sub, START, FIRST_BOUNDARY, id); // redelivered
        monthEnded(acc, sub, START, FIRST_BOUNDARY, UUID.randomUUID().toString()); // the same month, another event id
        monthEnded(acc, sub, START.minus(Duration.ofDays(365)), FIRST_BOUNDARY, UUID.randomUUID().toString()); // another period: late
        service().body("{\"amount\":1,\"reason\":\"render\"}").header("Idempotency-Key", UUID.randomUUID().toString())
                .post("/accounts/{id}/credits/debits", acc).then().statusCode(201);
        // the next month's end comes after the repeats on the same partition: once it shows, they were all applied
        monthEnded(acc, sub, START, START.atOffset(ZoneOffset.UTC).plusMonths(2).toInstant(), UUID.randomUUID().toString());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> service().get("/accounts/{id}/credits/ledger", acc).then()
                .body("kind", equalTo(List.of("GRANT", "FORFEIT", "DEBIT", "GRANT", "FORFEIT", "GRANT")))
                .body("amount", equalTo(List.of(1000, -999, -1, 1000, -1000, 1000))));
        given().header("Authorization", TestTokens.bearer(TestTokens.admin())).get("/admin/ledger/check").then().statusCode(200)
                .body("holds", equalTo(true));
    }
}
