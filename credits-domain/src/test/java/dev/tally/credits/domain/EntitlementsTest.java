package dev.tally.credits.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.Overage;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntitlementsTest {
    static final Instant START = Instant.parse("2026-03-01T00:00:00Z");
    static final Instant END = Instant.parse("2026-04-01T00:00:00Z");
    static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    static final Entitlements.Grant PRO = new Entitlements.Grant("pro", 1, List.of("api", "hd-export"), 3, START, END, null, null, false);
    static final Entitlements.Credits CREDITS = new Entitlements.Credits(40, 960L, Overage.Mode.BLOCK, END);

    @Test
    void aFeatureOfThePlanIsAllowedAndAnyOtherIsNotBothValidUntilThePeriodEnd() {
        var api = Entitlements.check(PRO, CREDITS, "api", 1, NOW);
        assertTrue(api.allowed());
        assertEquals("in_plan", api.reason());
        assertEquals(END, api.validUntil());
        var sso = Entitlements.check(PRO, CREDITS, "sso", 1, NOW);
        assertFalse(sso.allowed());
        assertEquals("not_in_plan", sso.reason());
        assertFalse(sso.metered());
    }

    @Test
    void creditsAreAllowedWhileTheyCoverTheQuantityAndAlwaysWhenOverageIsBilled() {
        var ok = Entitlements.check(PRO, CREDITS, Entitlements.CREDITS, 40, NOW);
        assertTrue(ok.allowed());
        assertEquals(1000L, ok.limit(), "limit = used + remaining");
        assertEquals(960L, ok.used());
        assertEquals(40L, ok.remaining());
        assertEquals(END, ok.resetsAt());
        var refused = Entitlements.check(PRO, CREDITS, Entitlements.CREDITS, 41, NOW);
        assertFalse(refused.allowed());
        assertEquals("insufficient_credits", refused.reason());
        var billed = Entitlements.check(PRO, new Entitlements.Credits(0, null, Overage.Mode.BILL, END), Entitlements.CREDITS, 500, NOW);
        assertTrue(billed.allowed());
        assertEquals("overage_billed", billed.reason());
        assertNull(billed.limit(), "without used there is no limit to tell");
    }

    @Test
    void seatsAreALimitOnTheQuantityAsked() {
        assertTrue(Entitlements.check(PRO, CREDITS, Entitlements.SEATS, 3, NOW).allowed());
        var four = Entitlements.check(PRO, CREDITS, Entitlements.SEATS, 4, NOW);
        assertFalse(four.allowed());
        assertEquals("over_seat_limit", four.reason());
        assertEquals(3L, four.limit());
    }

    @Test
    void aPendingChangeDoesNotMoveTheValidityPastItsEffectiveInstantAndCreditsHoldUntilTheirReset() {
        Instant reset = Instant.parse("2026-03-11T00:00:00Z");
        var pending = new Entitlements.Grant("pro", 1, List.of("api"), 3, START, END, "plus", END, false);
        assertEquals(END, Entitlements.validUntil(pending, NOW));
        var credits = Entitlements.check(pending, new Entitlements.Credits(5, 95L, Overage.Mode.BLOCK, reset), Entitlements.CREDITS, 1, NOW);
        assertEquals(reset, credits.validUntil(), "credits are granted again before the plan changes");
        assertEquals(END.plusSeconds(5), Entitlements.validUntil(PRO, END.plusSeconds(5)), "a period end not applied yet holds no longer than now");
    }

    @Test
    void theListNamesEveryFeatureOfTheCatalogThenCreditsAndSeats() {
        var all = Entitlements.all(PRO, CREDITS, List.of("sso", "api", "priority-queue"), NOW);
        assertEquals(List.of("api", "hd-export", "priority-queue", "sso", "credits", "seats"), all.stream().map(Entitlements.Check::feature).toList());
        assertEquals(List.of(true, true, false, false, true, true), all.stream().map(Entitlements.Check::allowed).toList());
    }

    @Test
    void creditsResetAtTheCreditPeriodEndOrTheNextUtcMidnightWithOnlyDailyCredits() {
        var yearly = new SubscriptionPeriod(Instant.parse("2026-01-15T00:00:00Z"), Instant.parse("2027-01-15T00:00:00Z"), 1000,
                BillingInterval.MONTH);
        assertEquals(Instant.parse("2026-03-15T00:00:00Z"), Entitlements.resetsAt(yearly, 0, NOW));
        assertEquals(Instant.parse("2026-02-15T00:00:00Z"), Entitlements.countedSince(yearly, 0, NOW));
        var free = new SubscriptionPeriod(START, END, 0, BillingInterval.MONTH);
        assertEquals(Instant.parse("2026-03-11T00:00:00Z"), Entitlements.resetsAt(free, 100, NOW));
        assertEquals(Instant.parse("2026-03-10T00:00:00Z"), Entitlements.countedSince(free, 100, NOW));
        assertNull(Entitlements.resetsAt(free, 0, NOW));
    }

    @Test
    void todaysDailyCreditsCountBeforeTheFirstTouchGrantsThem() {
        LocalDate today = LocalDate.parse("2026-03-10");
        assertEquals(130, Entitlements.spendable(30, 0, today.minusDays(1), 100, 0, NOW), "a new day: its 100 daily credits");
        assertEquals(70, Entitlements.spendable(30, 40, today, 100, 0, NOW), "today's bucket as it is");
        assertEquals(0, Entitlements.spendable(30, 40, today, 100, 90, NOW), "holds reserve the rest, never below 0");
    }

    @Test
    void anotherPlanVersionFeatureSetOrSeatCountIsAChangeOfEntitlementsAndTheOrderOfFeaturesIsNot() {
        var same = new Entitlements.Grant("pro", 1, List.of("hd-export", "api"), 3, END, END.plusSeconds(86400 * 30L), null, null, false);
        assertFalse(same.differsFrom(PRO), "a renewal on the same plan changes nothing");
        assertTrue(new Entitlements.Grant("plus", 1, List.of("api"), 1, START, END, null, null, false).differsFrom(PRO));
        assertTrue(new Entitlements.Grant("pro", 2, List.of("api", "hd-export"), 3, START, END, null, null, false).differsFrom(PRO));
        assertTrue(PRO.differsFrom(null));
    }
}
