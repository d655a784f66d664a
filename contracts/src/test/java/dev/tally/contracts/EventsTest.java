package dev.tally.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.tally.contracts.billing.PeriodEnded;
import java.time.Instant;
import java.util.HashSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventsTest {

    @Test
    void everyEventTypeNameIsUniqueAndResolvesBackToItself() {
        var names = new HashSet<String>();
        for (EventType<?> type : Events.ALL) {
            assertTrue(names.add(type.name()), "duplicate " + type.name());
            assertEquals(type, Events.byName(type.name()).orElseThrow());
        }
    }

    @Test
    void eventTypeNamesMustBeLowercaseDotted() {
        assertThrows(IllegalArgumentException.class, () -> new EventType<>("PeriodEnded", Topics.BILLING_COMMANDS, PeriodEnded.class));
    }

    @Test
    void aPayloadWithFieldsThisBuildDoesNotKnowStillDecodes() throws Exception {
        var json = """
                {"subscriptionId":"%s","accountId":"acc-1","periodStart":"2026-01-31T00:00:00Z",
                 "periodEnd":"2026-02-28T00:00:00Z","addedInALaterVersion":{"x":1}}""".formatted(UUID.randomUUID());
        var mapper = new ObjectMapper().registerModule(new JavaTimeModule());
        var decoded = mapper.readValue(json, PeriodEnded.class);
        assertEquals("acc-1", decoded.accountId());
        assertEquals(Instant.parse("2026-02-28T00:00:00Z"), decoded.periodEnd());
    }

    @Test
    void aPlanChangeWrittenBeforeSupportFieldsExistedDecodesAndASelfServeOneWritesNone() throws Exception {
        var mapper = new ObjectMapper().registerModule(new JavaTimeModule());
        var old = mapper.readValue("""
                {"fromPlanCode":"pro","fromPlanVersion":1,"timing":"IMMEDIATE","direction":"DOWNGRADE",
                 "secondsLeft":10,"secondsInPeriod":20}""", dev.tally.contracts.subscriptions.PlanChange.class);
        assertEquals(null, old.actedBy());
        assertEquals(null, old.reason());
        var selfServe = new dev.tally.contracts.subscriptions.PlanChange("pro", 1, null,
                dev.tally.contracts.subscriptions.ChangeTiming.IMMEDIATE, dev.tally.contracts.subscriptions.ChangeDirection.DOWNGRADE, 10, 20);
        assertTrue(!mapper.writeValueAsString(selfServe).contains("actedBy"));
        var bySupport = new dev.tally.contracts.subscriptions.PlanChange("pro", 1, null,
                dev.tally.contracts.subscriptions.ChangeTiming.IMMEDIATE, dev.tally.contracts.subscriptions.ChangeDirection.DOWNGRADE, 10, 20,
                "ops", "refund agreed on the phone");
        assertEquals(bySupport, mapper.readValue(mapper.writeValueAsString(bySupport), dev.tally.contracts.subscriptions.PlanChange.class));
    }

    @Test
    void aPlanPublishedBeforeBillingModesExistedBillsInAdvanceAndAnArrearsPlanKeepsItsMode() throws Exception {
        var mapper = new ObjectMapper().registerModule(new JavaTimeModule());
        var old = mapper.readValue("""
                {"code":"plus","version":1,"rank":10,"selfServe":true,"defaultFree":false,"prices":[],
                 "creditsPerPeriod":0,"creditPeriod":"MONTH","dailyCredits":0,"seatsIncluded":1,"status":"PUBLISHED"}""",
                dev.tally.contracts.plans.PlanSnapshot.class);
        assertEquals(dev.tally.contracts.plans.BillingMode.IN_ADVANCE, old.billingMode());
        var arrears = new dev.tally.contracts.plans.PlanSnapshot("kong", 1, "Kong", null, 10, true, false, java.util.List.of(), 0,
                dev.tally.contracts.plans.BillingInterval.MONTH, 0, 1, java.util.List.of(), null,
                dev.tally.contracts.plans.PlanSnapshot.PlanStatus.PUBLISHED, Instant.EPOCH, dev.tally.contracts.plans.BillingMode.IN_ARREARS);
        assertEquals(arrears, mapper.readValue(mapper.writeValueAsString(arrears), dev.tally.contracts.plans.PlanSnapshot.class));
        var state = mapper.readValue("""
                {"subscriptionId":"%s","accountId":"a","planCode":"free","planVersion":1,"interval":"MONTH","status":"ACTIVE",
                 "revision":3}""".formatted(UUID.randomUUID()), dev.tally.contracts.subscriptions.SubscriptionState.class);
        assertEquals(dev.tally.contracts.plans.BillingMode.IN_ADVANCE, state.billingMode());
    }
}
