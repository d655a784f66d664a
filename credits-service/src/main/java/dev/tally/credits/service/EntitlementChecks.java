package dev.tally.credits.service;

import dev.tally.backbone.problem.ProblemException;
import dev.tally.contracts.plans.Overage;
import dev.tally.credits.domain.Entitlements;
import dev.tally.credits.repository.EntitlementProjection;
import dev.tally.credits.repository.UsageQueries;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The entitlement check: the plan side from the projection (one row), credits from the account's
 * buckets and holds as a debit would see them now (one statement), the rules from credits-domain's
 * Entitlements. Read-only and local: nothing is locked, written or asked of another service; the
 * plan side of a recent check is answered from memory ({@link EntitlementCache}).
 */
@ApplicationScoped
public class EntitlementChecks {
    private final Pool pool;
    private final EntitlementProjection projection;
    private final UsageQueries queries;
    private final Duration maxAge;
    private final EntitlementCache cache;

    public EntitlementChecks(Pool pool, EntitlementProjection projection, UsageQueries queries, EntitlementCache cache,
                             @ConfigProperty(name = "tally.entitlements.max-age", defaultValue = "60s") Duration maxAge) {
        this.cache = cache;
        this.pool = pool;
        this.projection = projection;
        this.queries = queries;
        this.maxAge = maxAge;
    }

    /** The plan side: from memory when this replica read it within the cache's TTL, else the projection's row. */
    public Uni<Entitlements.Grant> grant(String accountId) {
        Entitlements.Grant cached = cache.get(accountId);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        return projection.find(pool, accountId).map(found -> {
            var grant = found.orElseThrow(EntitlementChecks::noSubscription).grant();
            cache.put(accountId, grant);
            return grant;
        });
    }

    /** Credits now; {@code withUsed} also counts what was spent since they were last granted (a ledger read: the list, not the check). */
    public Uni<Entitlements.Credits> credits(String accountId, boolean withUsed, Instant now) {
        return queries.creditsNow(pool, accountId, now).flatMap(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().item(new Entitlements.Credits(0, withUsed ? 0L : null, Overage.Mode.BLOCK, null));
            }
            var t = found.get().terms();
            Instant resets = Entitlements.resetsAt(t.period(), t.dailyCredits(), now);
            Instant since = Entitlements.countedSince(t.period(), t.dailyCredits(), now);
            long spendable = found.get().spendable();
            if (!withUsed || since == null) {
                return Uni.createFrom().item(new Entitlements.Credits(spendable, withUsed ? 0L : null, t.overage().mode(), resets));
            }
            return queries.spentSince(pool, accountId, since).map(spent -> new Entitlements.Credits(spendable,
                    Math.max(0, spent.values().stream().mapToLong(Long::longValue).sum()), t.overage().mode(), resets));
        });
    }

    public Uni<Entitlements.Check> check(String accountId, String feature, long quantity, Instant now) {
        if (!Entitlements.CREDITS.equals(feature)) {
            return grant(accountId).map(g -> Entitlements.check(g, null, feature, quantity, now));
        }
        return Uni.combine().all().unis(grant(accountId), credits(accountId, false, now)).asTuple() // pipelined on two connections
                .map(t -> Entitlements.check(t.getItem1(), t.getItem2(), feature, quantity, now));
    }

    /** {@code private, max-age} until the answer may change (at most {@code tally.entitlements.max-age}); credits are never cached. */
    public String cacheControl(Entitlements.Check check, Instant now) {
        if (Entitlements.CREDITS.equals(check.feature())) {
            return "private, no-cache";
        }
        long seconds = Math.max(0, Math.min(maxAge.toSeconds(), Duration.between(now, check.validUntil()).toSeconds()));
        return "private, max-age=" + seconds;
    }

    static ProblemException noSubscription() {
        return ProblemException.naming(404, "subscription_not_found", "No subscription of this account has reached credits-service yet "
                + "(GET /accounts/{id}/subscription on subscriptions-service starts one on the free plan); retry shortly.", "accountId");
    }
}
