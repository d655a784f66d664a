package dev.tally.credits.domain;

import dev.tally.contracts.credits.CreditBucketKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The live buckets of one account and what a change did to them, as the writer needs it: the buckets
 * it created (with what is left in them), the credits it took from (or gave back to) existing ones,
 * its entries in order, the overage it recorded and its announcements. The three primitives here
 * (grant, take, refill) are the only way {@link AccountLedger}'s rules move a balance, and each adds
 * the entry that says so.
 */
public final class LedgerRecord {
    private final List<BucketBalance> live;
    private final BucketIds ids;
    private final Map<Long, NewBucket> created = new LinkedHashMap<>();
    private final Map<Long, Long> taken = new TreeMap<>();
    private final List<LedgerEntry> entries = new ArrayList<>();
    private final List<OverageUsage> overage = new ArrayList<>();
    private final List<Announcement> announcements = new ArrayList<>();

    /** A bucket the change creates, with what is left in it when the change is written. */
    public record NewBucket(long id, CreditBucketKind kind, long remaining, Instant expiresAt) {
    }

    /** Debits beyond the balance on a BILL plan, billed at the usage close. */
    public record OverageUsage(long credits, String reference) {
    }

    LedgerRecord(List<BucketBalance> live, BucketIds ids) {
        this.live = new ArrayList<>(live);
        this.ids = ids;
    }

    List<BucketBalance> live() {
        return live;
    }

    void grant(CreditBucketKind kind, long credits, Instant expiresAt, String reason, String reference) {
        grant(kind, credits, expiresAt, reason, reference, null);
    }

    /** {@code effectiveAt}: when the grant took effect, where it differs from when it is written (a rolled-over lot: its period end). */
    void grant(CreditBucketKind kind, long credits, Instant expiresAt, String reason, String reference, Instant effectiveAt) {
        long id = ids.next();
        created.put(id, new NewBucket(id, kind, credits, expiresAt));
        live.add(new BucketBalance(id, kind, credits, expiresAt));
        entries.add(new LedgerEntry(id, kind, EntryKind.GRANT, credits, reason, orEmpty(reference), effectiveAt));
    }

    void take(long bucketId, long amount, EntryKind kind, String reason, String reference, Instant effectiveAt) {
        int at = indexOf(bucketId);
        if (at < 0) {
            throw new IllegalStateException("bucket " + bucketId + " is not live");
        }
        BucketBalance b = live.get(at);
        long left = b.remaining() - amount;
        if (left < 0) {
            throw new IllegalStateException("bucket " + bucketId + " has " + b.remaining() + ", not " + amount);
        }
        if (left == 0) {
            live.remove(at);
        } else {
            live.set(at, new BucketBalance(bucketId, b.kind(), left, b.expiresAt()));
        }
        move(bucketId, amount);
        entries.add(new LedgerEntry(bucketId, b.kind(), kind, -amount, reason, orEmpty(reference), effectiveAt));
    }

    /** Credits given back to an existing bucket (live, or emptied since). */
    void refill(long bucketId, CreditBucketKind kind, Instant expiresAt, long credits, String reason, String reference) {
        int at = indexOf(bucketId);
        long before = at >= 0 ? live.get(at).remaining() : 0;
        BucketBalance after = new BucketBalance(bucketId, kind, before + credits, expiresAt);
        if (at >= 0) {
            live.set(at, after);
        } else {
            live.add(after);
        }
        move(bucketId, -credits);
        entries.add(new LedgerEntry(bucketId, kind, EntryKind.REVERSAL, credits, reason, orEmpty(reference), null));
    }

    void overage(long credits, String reference) {
        overage.add(new OverageUsage(credits, reference));
    }

    void announce(Announcement announcement) {
        announcements.add(announcement);
    }

    private void move(long bucketId, long takenAmount) {
        NewBucket fresh = created.get(bucketId);
        if (fresh != null) {
            created.put(bucketId, new NewBucket(bucketId, fresh.kind(), fresh.remaining() - takenAmount, fresh.expiresAt()));
        } else {
            taken.merge(bucketId, takenAmount, Long::sum);
        }
    }

    private int indexOf(long id) {
        for (int i = 0; i < live.size(); i++) {
            if (live.get(i).bucketId() == id) {
                return i;
            }
        }
        return -1;
    }

    private static String orEmpty(String reference) {
        return reference == null ? "" : reference;
    }

    public List<NewBucket> createdBuckets() {
        return List.copyOf(created.values());
    }

    /** Credits taken from each existing bucket, by bucket id in ascending order (negative: given back). */
    public Map<Long, Long> takenFromBuckets() {
        return Collections.unmodifiableMap(taken);
    }

    public List<LedgerEntry> entries() {
        return Collections.unmodifiableList(entries);
    }

    public List<OverageUsage> overage() {
        return Collections.unmodifiableList(overage);
    }

    public List<Announcement> announcements() {
        return Collections.unmodifiableList(announcements);
    }

    public boolean isEmpty() {
        return entries.isEmpty() && overage.isEmpty() && announcements.isEmpty();
    }
}
