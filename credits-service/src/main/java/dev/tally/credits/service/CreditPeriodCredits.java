package dev.tally.credits.service;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.contracts.billing.CreditPeriodEnded;
import dev.tally.credits.domain.SubscriptionGrants;
import dev.tally.credits.repository.LedgerQueries;
import dev.tally.credits.repository.LedgerRepository;
import dev.tally.credits.repository.LedgerWriter;
import dev.tally.credits.repository.SubscriptionTermsRepository;
import dev.tally.backbone.tx.Tx;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/**
 * A credit period ended inside the billing period (a yearly plan granting monthly): the account's
 * ledger forfeits what is left of the grants that ended with it and grants the next credit period's
 * (SubscriptionGrants.creditPeriodEnded), once (unique reference per subscription and boundary). A
 * command for a billing period that is no longer the subscription's (it renewed, changed or reverted
 * since) changes nothing.
 */
@ApplicationScoped
public class CreditPeriodCredits {
    private final LedgerRepository ledgers;
    private final LedgerWriter writer;
    private final LedgerQueries queries;
    private final SubscriptionTermsRepository subscriptions;
    private final TallyClock clock;

    public CreditPeriodCredits(LedgerRepository ledgers, LedgerWriter writer, LedgerQueries queries, SubscriptionTermsRepository subscriptions,
                               TallyClock clock) {
        this.ledgers = ledgers;
        this.writer = writer;
        this.queries = queries;
        this.subscriptions = subscriptions;
        this.clock = clock;
    }

    public Uni<Void> apply(Tx tx, CreditPeriodEnded command) {
        SqlConnection db = tx.connection();
        Instant now = clock.instant();
        String reference = "credit-period:" + command.subscriptionId() + ":" + command.creditPeriodEnd();
        return ledgers.load(db, command.accountId(), 1, now) // locks the account
                .flatMap(ledger -> subscriptions.find(db, command.accountId()).flatMap(found -> {
                    var inForce = found.orElse(null);
                    if (!SubscriptionGrants.creditPeriodApplies(inForce, command.periodStart(), command.periodEnd(), command.creditPeriodEnd())) {
                        return Uni.createFrom().voidItem(); // another period is in force now: this command is late
                    }
                    return queries.granted(db, reference).flatMap(done -> {
                        if (done) {
                            return Uni.createFrom().voidItem();
                        }
                        SubscriptionGrants.creditPeriodEnded(ledger, inForce, command.creditPeriodEnd(), reference);
                        return writer.write(tx, List.of(ledger));
                    });
                }));
    }
}
