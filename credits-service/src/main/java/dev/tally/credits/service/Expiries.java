package dev.tally.credits.service;

import dev.tally.backbone.outbox.Outbox;
import dev.tally.contracts.credits.CreditBucketKind;
import dev.tally.credits.domain.BucketBalance;
import dev.tally.credits.repository.LedgerChanges;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;

/**
 * Expiries are ledger entries at the instant they expire. A bucket is due once its expiry has come
 * and credits are left in it; whoever next holds its account's lock (the sweep, a debit, a hold, a
 * capture, a grant, a balance read) empties it with one entry dated at the expiry (its effective
 * instant; created_at stays when it was written), before anything else reads the account's buckets.
 * The entry is an EXPIRE, except for SUBSCRIPTION credits, which are forfeited at the end of their
 * credit period (FORFEIT): a period-end event that comes later finds the bucket empty and forfeits
 * nothing, and one that came first left nothing to expire. Either way the credits leave once, and
 * {@code credits.forfeited} says so (reason "expired" or "credit period ended"; daily credits are not
 * announced, as their resets are not).
 */
@ApplicationScoped
public class Expiries {
    private final CreditEvents announce;
    private final Outbox outbox;

    public Expiries(CreditEvents announce, Outbox outbox) {
        this.announce = announce;
        this.outbox = outbox;
    }

    /** Past its expiry with credits left: spendable no more, and due its entry. */
    public static boolean due(BucketBalance bucket, Instant now) {
        return bucket.remaining() > 0 && bucket.expiresAt() != null && !now.isBefore(bucket.expiresAt());
    }

    /** Among a batch's in-memory changes: empties the account's due buckets (those {@code locked} admits). */
    public void expireDue(LedgerChanges changes, String accountId, LongPredicate locked) {
        for (BucketBalance b : changes.liveBuckets(accountId)) {
            if (!due(b, changes.now()) || !locked.test(b.bucketId())) {
                continue;
            }
            boolean subscription = b.kind() == CreditBucketKind.SUBSCRIPTION;
            String reason = (subscription ? "credit period ended " : "expired ") + b.expiresAt();
            changes.expire(accountId, b, subscription ? "FORFEIT" : "EXPIRE", reason, "expiry:" + b.bucketId());
            if (b.kind() != CreditBucketKind.DAILY) {
                announce.expired(changes, accountId, b.kind(), b.remaining(), reason, b.expiresAt());
            }
        }
    }

    public void expireDue(LedgerChanges changes, String accountId) {
        expireDue(changes, accountId, id -> true);
    }

    /** In the caller's transaction, under the account's lock: the due buckets emptied, and the buckets still live after. */
    public Uni<List<BucketBalance>> expireDue(SqlConnection tx, String accountId, List<BucketBalance> live, Instant now) {
        if (live.stream().noneMatch(b -> due(b, now))) {
            return Uni.createFrom().item(live);
        }
        LedgerChanges changes = LedgerChanges.of(now, Map.of(accountId, live));
        expireDue(changes, accountId);
        return changes.write(tx, outbox).replaceWith(() -> changes.liveBuckets(accountId));
    }

    /**
     * The same for a group's locked accounts: {@code buckets} (by account) are replaced by what is
     * left live, and the returned write is to be sent before the group's own writes.
     */
    public Uni<Void> expireDue(SqlConnection tx, Map<String, List<BucketBalance>> buckets, Instant now) {
        if (buckets.values().stream().flatMap(List::stream).noneMatch(b -> due(b, now))) {
            return Uni.createFrom().voidItem();
        }
        LedgerChanges changes = LedgerChanges.of(now, buckets);
        buckets.keySet().forEach(account -> {
            expireDue(changes, account);
            buckets.put(account, changes.liveBuckets(account));
        });
        return changes.write(tx, outbox);
    }
}
