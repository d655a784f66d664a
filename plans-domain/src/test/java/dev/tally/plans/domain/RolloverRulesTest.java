package dev.tally.plans.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.BillingMode;
import dev.tally.contracts.plans.Overage;
import dev.tally.contracts.plans.PlanPrice;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.contracts.plans.Rollover;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A plan's rollover: one cap (credits or percent), a lot life in days, something to roll; published with the snapshot. */
class RolloverRulesTest {
    private static PlanDraft plan(long credits, Rollover rollover) {
        return new PlanDraft("studio", "Studio", "", 30, true, false, List.of(new PlanPrice(BillingInterval.MONTH, 900, "USD", null)),
                credits, BillingInterval.MONTH, 0, 1, List.of(), Overage.block(), BillingMode.IN_ADVANCE, rollover);
    }

    private static Set<String> problems(PlanDraft draft) {
        return PlanRules.validate(draft, List.of()).stream().map(e -> e.field() + ":" + e.code()).collect(Collectors.toSet());
    }

    @Test
    void aRolloverCappedByCreditsOrByPercentWithALotLifeIsValidAndPublished() {
        assertEquals(Set.of(), problems(plan(1000, new Rollover(300L, null, 30))));
        assertEquals(Set.of(), problems(plan(1000, new Rollover(null, 50, 1))));
        assertEquals(Set.of(), problems(plan(1000, null)), "no rollover: as before");
        PlanSnapshot published = plan(1000, new Rollover(null, 50, 1)).publishAs(1, Instant.EPOCH);
        assertEquals(new Rollover(null, 50, 1), published.rollover());
        assertEquals(null, plan(1000, null).publishAs(1, Instant.EPOCH).rollover());
    }

    @Test
    void aRolloverNeedsExactlyOneCapInRangeALotLifeAndCreditsToRoll() {
        assertEquals(Set.of("rollover:one_cap"), problems(plan(1000, new Rollover(null, null, 30))));
        assertEquals(Set.of("rollover:one_cap"), problems(plan(1000, new Rollover(10L, 10, 30))));
        assertEquals(Set.of("rollover.maxCredits:out_of_range"), problems(plan(1000, new Rollover(0L, null, 30))));
        assertEquals(Set.of("rollover.maxPercent:out_of_range"), problems(plan(1000, new Rollover(null, 101, 30))));
        assertEquals(Set.of("rollover.expiresAfterDays:out_of_range"), problems(plan(1000, new Rollover(10L, null, null))));
        assertEquals(Set.of("rollover.expiresAfterDays:out_of_range"), problems(plan(1000, new Rollover(10L, null, 3661))));
        assertEquals(Set.of("rollover:nothing_to_roll"), problems(plan(0, new Rollover(10L, null, 30))));
    }

    @Test
    void theCapIsTheCreditsOrThePercentOfTheGrantRoundedDown() {
        assertEquals(300, new Rollover(300L, null, 30).cap(1000));
        assertEquals(333, new Rollover(null, 33, 30).cap(1010));
    }
}
