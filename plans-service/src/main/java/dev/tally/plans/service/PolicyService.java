package dev.tally.plans.service;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.outbox.Outbox;
import dev.tally.backbone.outbox.OutgoingEvent;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.backbone.tx.Transactions;
import dev.tally.backbone.tx.Tx;
import dev.tally.contracts.Events;
import dev.tally.contracts.plans.ChangePolicySnapshot;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.plans.domain.ChangePolicy;
import dev.tally.plans.domain.ChangePolicyTable;
import dev.tally.plans.domain.PolicyOverride;
import dev.tally.plans.repository.PlanRepository;
import dev.tally.plans.repository.PolicyOverrideRepository;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;

/**
 * Answers "may this account move from plan A to plan B, and when?" from the policy table and its
 * overrides, and publishes the overrides: every edit, and the first start of a database that has
 * none announced yet, puts the whole list at the policy's next version on the plans topic in the
 * same transaction (subscriptions-service resolves changes from that copy, with the same table).
 */
@ApplicationScoped
public class PolicyService {
    static final String KEY = "change-policy";
    private final PlanRepository plans;
    private final PolicyOverrideRepository overrides;
    private final Transactions transactions;
    private final Outbox outbox;
    private final TallyClock clock;

    public PolicyService(PlanRepository plans, PolicyOverrideRepository overrides, Transactions transactions, Outbox outbox,
                         TallyClock clock) {
        this.plans = plans;
        this.overrides = overrides;
        this.transactions = transactions;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** Version 1, once per database: the overrides there were before the policy travelled on the topic (maybe none). */
    void announceFirst(@Observes StartupEvent start) {
        transactions.inSession(tx -> overrides.nextVersion(true).flatMap(version -> version.isEmpty()
                        ? Uni.createFrom().voidItem() : publish(tx, version.get())))
                .await().atMost(Duration.ofSeconds(30));
    }

    private Uni<Void> publish(Tx tx, long version) {
        return overrides.all().flatMap(all -> {
            var snapshot = new ChangePolicySnapshot(version, all.stream().map(o -> new ChangePolicySnapshot.Override(o.fromCode(),
                    o.toCode(), o.direction(), o.allowedTimings(), o.defaultTiming())).toList(), clock.instant());
            return outbox.add(tx, OutgoingEvent.of(Events.CHANGE_POLICY_PUBLISHED, KEY, KEY, snapshot, snapshot.publishedAt()));
        });
    }

    public Uni<ChangePolicy> policy(String fromCode, BillingInterval fromInterval, String toCode, BillingInterval toInterval) {
        return plans.latest(fromCode).flatMap(from -> plans.latest(toCode).flatMap(to -> overrides.all().map(all -> {
            PlanSnapshot a = from.orElseThrow(() -> ProblemException.naming(404, "plan_not_found", "No plan " + fromCode + ".", "from"));
            PlanSnapshot b = to.orElseThrow(() -> ProblemException.naming(404, "plan_not_found", "No plan " + toCode + ".", "to"));
            if (b.status() == PlanSnapshot.PlanStatus.RETIRED) {
                throw ProblemException.naming(422, "plan_not_for_sale", "Plan " + toCode + " is no longer sold.", "to");
            }
            try {
                return ChangePolicyTable.resolve(a, fromInterval, b, toInterval, all);
            } catch (IllegalArgumentException samePlan) {
                throw ProblemException.naming(422, "same_plan", "That is the plan and interval already in force.", "to", "toInterval");
            }
        })));
    }

    public Uni<List<PolicyOverride>> overrides() {
        return overrides.all();
    }

    public Uni<PolicyOverride> putOverride(PolicyOverride override) {
        var problems = override.problems();
        if (!problems.isEmpty()) {
            throw CatalogService.invalid(problems);
        }
        return transactions.inSession(tx -> overrides.nextVersion(false)
                .flatMap(version -> overrides.put(override).flatMap(x -> publish(tx, version.orElseThrow()))))
                .replaceWith(override);
    }
}
