package dev.tally.credits.service;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.contracts.credits.CreditBucketKind;
import dev.tally.credits.repository.LedgerRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * Promotional credits an operator or the product's backend gives an account (a campaign, a
 * goodwill gesture), with an optional expiry. They are spent after daily and subscription credits,
 * soonest-expiring first, and survive plan changes and cancellation until they expire.
 */
@ApplicationScoped
public class PromoGrants {
    private final LedgerRepository ledger;
    private final CreditEvents events;
    private final CreditLedger balances;
    private final TallyClock clock;

    public PromoGrants(LedgerRepository ledger, CreditEvents events, CreditLedger balances, TallyClock clock) {
        this.ledger = ledger;
        this.events = events;
        this.balances = balances;
        this.clock = clock;
    }

    public record PromoGrant(String grantId, String accountId, long credits, String reason, Instant expiresAt) {
    }

    public Uni<PromoGrant> grant(SqlConnection tx, String accountId, String grantId, long credits, String reason, Instant expiresAt) {
        Instant now = clock.instant();
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            return Uni.createFrom().failure(ProblemException.invalidField("expiresAt", "must be in the future"));
        }
        return ledger.lockAccount(tx, accountId, now)
                .call(x -> balances.live(tx, accountId, now)) // due buckets expire before the grant, as before any change
                .call(x -> ledger.grant(tx, accountId, CreditBucketKind.PROMO, credits, expiresAt, reason, "promo:" + grantId, now))
                .call(x -> events.granted(tx, accountId, CreditBucketKind.PROMO, credits, reason, expiresAt, now))
                .replaceWith(new PromoGrant(grantId, accountId, credits, reason, expiresAt));
    }
}
