package dev.tally.plans.domain;

import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.contracts.subscriptions.ChangeDirection;
import dev.tally.contracts.subscriptions.ChangeTiming;
import dev.tally.contracts.subscriptions.DefaultChangePolicy;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The plan-change policy as a table of cases, like Kill Bill's: direction by rank, then by
 * interval at equal rank; a default row per direction (contracts' DefaultChangePolicy, the one
 * table); admin overrides per pair or per direction.
 */
public final class ChangePolicyTable {
    private record Row(Set<ChangeTiming> allowed, ChangeTiming defaultTiming) {
    }

    private ChangePolicyTable() {
    }

    /** @throws IllegalArgumentException with "same_plan" when from and to are the same plan and interval */
    public static ChangePolicy resolve(PlanSnapshot from, BillingInterval fromInterval, PlanSnapshot to,
                                       BillingInterval toInterval, List<PolicyOverride> overrides) {
        if (from.code().equals(to.code()) && fromInterval == toInterval) {
            throw new IllegalArgumentException("same_plan");
        }
        ChangeDirection direction = direction(from.rank(), fromInterval, to.rank(), toInterval);
        Optional<PolicyOverride> pair = overrides.stream()
                .filter(o -> o.isForPair() && o.fromCode().equals(from.code()) && o.toCode().equals(to.code())).findFirst();
        Optional<PolicyOverride> byDirection = overrides.stream()
                .filter(o -> !o.isForPair() && o.direction() == direction).findFirst();
        DefaultChangePolicy defaults = DefaultChangePolicy.of(direction);
        Row row = new Row(defaults.allowedTimings(), defaults.defaultTiming());
        String decidedBy = "default";
        if (pair.isPresent()) {
            row = new Row(pair.get().allowedTimings(), pair.get().defaultTiming());
            decidedBy = "override:" + from.code() + "->" + to.code();
        } else if (byDirection.isPresent()) {
            row = new Row(byDirection.get().allowedTimings(), byDirection.get().defaultTiming());
            decidedBy = "override:" + direction;
        }
        ChangePolicy.Access access = !from.selfServe() ? ChangePolicy.Access.ADMIN_ONLY
                : !to.selfServe() ? ChangePolicy.Access.CONTACT_SALES : ChangePolicy.Access.SELF_SERVE;
        return new ChangePolicy(from.code(), fromInterval, to.code(), toInterval, direction, row.allowed(),
                row.defaultTiming(), access, decidedBy);
    }

    /** By rank; at equal rank, monthly to yearly is an upgrade and yearly to monthly a downgrade. */
    public static ChangeDirection direction(int fromRank, BillingInterval fromInterval, int toRank, BillingInterval toInterval) {
        return ChangeDirection.between(fromRank, fromInterval, toRank, toInterval);
    }
}
