package dev.tally.credits.service;

import dev.tally.backbone.outbox.Outbox;
import dev.tally.backbone.outbox.OutgoingEvent;
import dev.tally.contracts.Events;
import dev.tally.contracts.credits.CreditBucketKind;
import dev.tally.contracts.credits.CreditsForfeited;
import dev.tally.contracts.credits.CreditsGranted;
import dev.tally.credits.domain.SpendingOrder;
import dev.tally.credits.repository.LedgerChanges;
import dev.tally.credits.repository.LedgerRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * Announces grants and forfeits from subscription events and top-ups, and expiries (as forfeits), on
 * the credits topic, with the balance after them, in the transaction that made them. Debits are not announced one by one (the
 * hot path); daily resets are not announced either (one per account per day would be noise).
 */
@ApplicationScoped
public class CreditEvents {
    private final LedgerRepository ledger;
    private final Outbox outbox;

    public CreditEvents(LedgerRepository ledger, Outbox outbox) {
        this.ledger = ledger;
        this.outbox = outbox;
    }

    Uni<Void> granted(SqlConnection tx, String accountId, CreditBucketKind bucket, long credits, String reason, Instant expiresAt, Instant now) {
        return balance(tx, accountId, now).flatMap(balance -> outbox.add(tx, granted(accountId, bucket, credits, reason, expiresAt, balance, now)));
    }

    Uni<Void> forfeited(SqlConnection tx, String accountId, CreditBucketKind bucket, long credits, String reason, Instant now) {
        return balance(tx, accountId, now).flatMap(balance -> outbox.add(tx, forfeited(accountId, bucket, credits, reason, balance, now)));
    }

    /** The same announcements among a batch's in-memory ledger changes, with the balance they leave. */
    void granted(LedgerChanges changes, String accountId, CreditBucketKind bucket, long credits, String reason, Instant expiresAt) {
        changes.announce(granted(accountId, bucket, credits, reason, expiresAt, SpendingOrder.available(changes.liveBuckets(accountId),
                changes.now()), changes.now()));
    }

    void forfeited(LedgerChanges changes, String accountId, CreditBucketKind bucket, long credits, String reason) {
        changes.announce(forfeited(accountId, bucket, credits, reason, SpendingOrder.available(changes.liveBuckets(accountId), changes.now()),
                changes.now()));
    }

    /** Credits that left a bucket at its expiry ({@code at}), announced as a forfeit with the balance it leaves. */
    void expired(LedgerChanges changes, String accountId, CreditBucketKind bucket, long credits, String reason, Instant at) {
        changes.announce(OutgoingEvent.forAccount(Events.CREDITS_FORFEITED, accountId, new CreditsForfeited(accountId, bucket, credits, reason,
                SpendingOrder.available(changes.liveBuckets(accountId), changes.now()), at), changes.now()));
    }

    private static OutgoingEvent<CreditsGranted> granted(String accountId, CreditBucketKind bucket, long credits, String reason,
                                                         Instant expiresAt, long balance, Instant now) {
        return OutgoingEvent.forAccount(Events.CREDITS_GRANTED, accountId, new CreditsGranted(accountId, bucket, credits, reason, expiresAt,
                balance, now), now);
    }

    private static OutgoingEvent<CreditsForfeited> forfeited(String accountId, CreditBucketKind bucket, long credits, String reason,
                                                             long balance, Instant now) {
        return OutgoingEvent.forAccount(Events.CREDITS_FORFEITED, accountId, new CreditsForfeited(accountId, bucket, credits, reason,
                balance, now), now);
    }

    private Uni<Long> balance(SqlConnection tx, String accountId, Instant now) {
        return ledger.liveBuckets(tx, accountId).map(buckets -> SpendingOrder.available(buckets, now));
    }
}
