package dev.tally.credits;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.contracts.Events;
import dev.tally.contracts.billing.UsageCloseDue;
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
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** GET /accounts/{id}/credits/usage on a BILL plan, before and after its period's usage close. */
@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "credits"))
class UsageSoFarTest {
    static final Instant START = Instant.now().minus(Duration.ofDays(5)).truncatedTo(ChronoUnit.SECONDS);
    static final Instant END = START.plus(Duration.ofDays(30));

    @Inject
    ObjectMapper json;

    private static RequestSpecification account(String acc) {
        return given().header("Authorization", TestTokens.bearer(TestTokens.account(acc)));
    }

    @Test
    void usageShowsSpentPerBucketTheOverageSoFarAndWhatTheCloseTakesThenWhatItTook() throws Exception {
        String acc = "acc-" + UUID.randomUUID();
        UUID sub = UUID.randomUUID();
        var terms = new CreditTerms(5000, BillingInterval.MONTH, 0, new Overage(Overage.Mode.BILL, 100, 1000, "USD"));
        var state = new SubscriptionState(sub, acc, "pro", 1, BillingInterval.MONTH, SubscriptionState.Status.ACTIVE, START, END, false,
                null, terms, List.of("pro-models"), 5, 1);
        TestEvents.publish(Events.SUBSCRIPTION_STARTED, acc, acc, json.writeValueAsString(new SubscriptionEvent(state, null)));
        LedgerCalls.awaitBalance(acc, 5000);
        LedgerCalls.debit(acc, 5200, null).then().statusCode(201).body("overage", equalTo(200));

        account(acc).get("/accounts/{id}/credits/usage", acc).then().statusCode(200)
                .body("periodStart", equalTo(START.toString())).body("periodEnd", equalTo(END.toString()))
                .body("spent.SUBSCRIPTION", equalTo(5000)).body("spent.DAILY", equalTo(0)).body("spentTotal", equalTo(5000))
                .body("overage.mode", equalTo("BILL")).body("overage.credits", equalTo(200)).body("overage.amountMinor", equalTo(20))
                .body("nextClose.at", equalTo(END.minus(Duration.ofDays(3)).toString())).body("nextClose.periodEnd", equalTo(END.toString()))
                .body("nextClose.credits", equalTo(200)).body("nextClose.amountMinor", equalTo(20)).body("nextClose.currency", equalTo("USD"))
                .body("lastClose", nullValue());

        TestEvents.publish(Events.USAGE_CLOSE_DUE, acc, acc, json.writeValueAsString(new UsageCloseDue(sub, acc, START, END, Instant.now())));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> account(acc).get("/accounts/{id}/credits/usage", acc).then()
                .body("lastClose.credits", equalTo(200)).body("lastClose.amountMinor", equalTo(20)));
        LedgerCalls.debit(acc, 70, null).then().statusCode(201).body("overage", equalTo(70)); // after the close: the next period's
        account(acc).get("/accounts/{id}/credits/usage", acc).then()
                .body("overage.credits", equalTo(70)).body("overage.amountMinor", equalTo(7))
                .body("nextClose.at", nullValue()).body("nextClose.credits", equalTo(70)).body("nextClose.amountMinor", equalTo(7))
                .body("lastClose.periodEnd", equalTo(END.toString()));
    }

    @Test
    void anAccountNoSubscriptionReachedIsNotFound() {
        String acc = "acc-" + UUID.randomUUID();
        account(acc).get("/accounts/{id}/credits/usage", acc).then().statusCode(404).body("code", equalTo("subscription_not_found"))
                .body("errors[0].field", equalTo("accountId"));
    }
}
