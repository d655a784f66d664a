package dev.tally.credits.service;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.contracts.billing.CreditPeriodEnded;
import dev.tally.contracts.billing.CreditPeriods;
import dev.tally.contracts.credits.CreditBucketKind;
import dev.tally.credits.domain.Spend;
import dev.tally.credits.repository.LedgerRepository;
import dev.tally.credits.repository.SubscriptionTermsRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A credit period ended inside the billing period (a yearly plan granting monthly): what is left of
 * the grants that ended with it is forfeited, and the next credit period's grant is made, once
 * (unique reference per subscription and boundary). A command for a billing period that is no
 * longer the subscription's (it renewed, changed or reverted since) changes nothing.
 */
@ApplicationScoped
public class CreditPeriodCredits {
    private final LedgerRepository ledger;
    private final SubscriptionTermsRepository subscriptions;
    private final CreditEvents announce;
    private final TallyClock clock;

    public CreditPeriodCredits(LedgerRepository ledger, SubscriptionTermsRepository subscriptions, CreditEvents announce, TallyClock clock) {
        this.ledger = ledger;
        this.subscriptions = subscriptions;
        this.announce = announce;
        this.clock = clock;
    }

    public Uni<Void> apply(SqlConnection tx, CreditPeriodEnded command) {
        Instant now = clock.instant();
        String reference = "credit-period:" + command.subscriptionId() + ":" + command.creditPeriodEnd();
        return ledger.lockAccount(tx, command.accountId(), now)
                .flatMap(terms -> subscriptions.find(tx, command.accountId()))
                .flatMap(found -> {
                    var period = found.filter(p -> p.periodStart().equals(command.periodStart()) && p.periodEnd().equals(command.periodEnd()));
                    if (period.isEmpty() || !command.creditPeriodEnd().isBefore(command.periodEnd())) {
                        return Uni.createFrom().voidItem(); // another period is in force now: this command is late
                    }
                    var p = period.get();
                    return tx.preparedQuery("SELECT 1 FROM ledger_entry WHERE reference = $1 AND kind = 'GRANT'").execute(Tuple.of(reference))
                            .flatMap(done -> done.size() > 0 ? Uni.createFrom().voidItem() : forfeitEnded(tx, command, reference, now)
                                    .flatMap(x -> grantNext(tx, command, p, reference, now)));
                });
    }

    private Uni<Void> forfeitEnded(SqlConnection tx, CreditPeriodEnded command, String reference, Instant now) {
        return ledger.liveBuckets(tx, command.accountId()).flatMap(buckets -> {
            List<Spend.Take> takes = new ArrayList<>();
            buckets.stream().filter(b -> b.kind() == CreditBucketKind.SUBSCRIPTION && b.expiresAt() != null
                            && !b.expiresAt().isAfter(command.creditPeriodEnd()))
                    .forEach(b -> takes.add(new Spend.Take(b.bucketId(), b.kind(), b.remaining())));
            long forfeited = takes.stream().mapToLong(Spend.Take::amount).sum();
            String reason = "credit period ended " + command.creditPeriodEnd();
            return ledger.take(tx, command.accountId(), takes, "FORFEIT", reason, reference, now)
                    .call(x -> forfeited > 0 ? announce.forfeited(tx, command.accountId(), CreditBucketKind.SUBSCRIPTION, forfeited, reason, now)
                            : Uni.createFrom().voidItem());
        });
    }

    private Uni<Void> grantNext(SqlConnection tx, CreditPeriodEnded command, SubscriptionTermsRepository.SubscriptionPeriod p,
                                String reference, Instant now) {
        Instant expires = CreditPeriods.endOfCreditPeriod(p.periodStart(), p.periodEnd(), p.creditPeriod(), command.creditPeriodEnd());
        String reason = "credits for the month from " + command.creditPeriodEnd();
        return ledger.grant(tx, command.accountId(), CreditBucketKind.SUBSCRIPTION, p.creditsPerPeriod(), expires, reason, reference, now)
                .call(x -> p.creditsPerPeriod() > 0
                        ? announce.granted(tx, command.accountId(), CreditBucketKind.SUBSCRIPTION, p.creditsPerPeriod(), reason, expires, now)
                        : Uni.createFrom().voidItem());
    }
}
