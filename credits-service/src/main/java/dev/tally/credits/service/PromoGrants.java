package dev.tally.credits.service;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.contracts.credits.CreditBucketKind;
import dev.tally.credits.repository.LedgerRepository;
import dev.tally.credits.repository.LedgerWriter;
import dev.tally.backbone.tx.Tx;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/**
 * Promotional credits an operator or the product's backend gives an account (a campaign, a
 * goodwill gesture), with an optional expiry. They are spent after daily and subscription credits,
 * soonest-expiring first, and survive plan changes and cancellation until they expire.
 */
@ApplicationScoped
public class PromoGrants {
    private final LedgerRepository ledgers;
    private final LedgerWriter writer;
    private final TallyClock clock;

    public PromoGrants(LedgerRepository ledgers, LedgerWriter writer, TallyClock clock) {
        this.ledgers = ledgers;
        this.writer = writer;
        this.clock = clock;
    }

    public record PromoGrant(String grantId, String accountId, long credits, String reason, Instant expiresAt) {
    }

    public Uni<PromoGrant> grant(Tx tx, String accountId, String grantId, long credits, String reason, Instant expiresAt) {
        SqlConnection db = tx.connection();
        Instant now = clock.instant();
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            return Uni.createFrom().failure(ProblemException.invalidField("expiresAt", "must be in the future"));
        }
        return ledgers.load(db, accountId, 1, now).flatMap(ledger -> {
            ledger.expireDue(); // due buckets expire before the grant, as before any change
            ledger.grant(CreditBucketKind.PROMO, credits, expiresAt, reason, "promo:" + grantId, true);
            return writer.write(tx, List.of(ledger));
        }).replaceWith(new PromoGrant(grantId, accountId, credits, reason, expiresAt));
    }
}
