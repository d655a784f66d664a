package dev.tally.credits.domain;

import dev.tally.contracts.credits.CreditBucketKind;
import dev.tally.contracts.plans.Overage;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.function.LongPredicate;
import java.util.function.Predicate;

/**
 * One account's credits as a ledger: its live buckets (lots) and the entries a change adds, at one
 * instant ({@code now}, the transaction's). Every credit rule is a method here, or in the class of
 * its rule that works through this one ({@link SubscriptionGrants}, {@link CreditExpiry}, {@link
 * DailyCredits}, {@link CreditRollover}, {@link DebitReversal}); each moves balances only through
 * {@link LedgerRecord}, which adds the entry. The service loads the ledger under the account's lock, asks it, and writes what it
 * recorded: new buckets, bucket balances, entries, overage usage, terms and announcements.
 */
public final class AccountLedger {
    static final String EARLIER_DAY = "daily credits of an earlier day";
    private final Instant now;
    private AccountTerms terms;
    private boolean termsChanged;
    private SubscriptionPeriod appliedPeriod;
    private final LedgerRecord record;
    private final List<BucketBalance> live;
    private final long availableAtLoad;
    private BalanceAlerts.Watch watch;

    /** {@code ids}: where the ids of the buckets it creates come from. */
    public AccountLedger(AccountTerms terms, List<BucketBalance> live, BucketIds ids, Instant now) {
        this.terms = terms;
        this.record = new LedgerRecord(live, ids);
        this.live = record.live();
        this.now = now;
        this.availableAtLoad = SpendingOrder.available(live, now);
    }

    public String accountId() {
        return terms.accountId();
    }

    public Instant now() {
        return now;
    }

    public AccountTerms terms() {
        return terms;
    }

    public List<BucketBalance> live() {
        return Collections.unmodifiableList(live);
    }

    /** Spendable credits now (before holds). */
    public long available() {
        return SpendingOrder.available(live, now);
    }

    public long subscriptionCredits() {
        return live.stream().filter(b -> b.kind() == CreditBucketKind.SUBSCRIPTION).mapToLong(BucketBalance::remaining).sum();
    }

    // ---- expiry and the daily credits (CreditExpiry, DailyCredits) -----------------------------

    /** Past its expiry with credits left: spendable no more, and due its entry. */
    public static boolean due(BucketBalance bucket, Instant now) {
        return CreditExpiry.due(bucket, now);
    }

    /** Empties every due bucket {@code admitted} admits by its entry (see {@link CreditExpiry#expireDue}). */
    public void expireDue(LongPredicate admitted) {
        CreditExpiry.expireDue(this, admitted);
    }

    public void expireDue() {
        expireDue(id -> true);
    }

    public boolean anyDue() {
        return live.stream().anyMatch(b -> due(b, now));
    }

    /** Whether the daily credits are due their reset: the account's first touch on a new UTC day. */
    public boolean isNewDay() {
        return isNewDay(terms, now);
    }

    /** The same for terms not loaded into a ledger yet (a reset creates a bucket: its id is reserved first). */
    public static boolean isNewDay(AccountTerms terms, Instant now) {
        return DailyCredits.isNewDay(terms, now);
    }

    /** The lazy daily reset (see {@link DailyCredits#resetIfNewDay}). */
    public void resetDailyIfNewDay() {
        DailyCredits.resetIfNewDay(this);
    }

    /** Before any change of the account: the day's reset (with the due expiries), then any expiry still due. */
    public void touch() {
        resetDailyIfNewDay();
        expireDue();
    }

    // ---- terms -----------------------------------------------------------------------------------

    /** The terms of the subscription's latest event; {@code rollover} the plan's (null: none). */
    public void applyTerms(Overage overage, long dailyCredits, dev.tally.contracts.plans.Rollover rollover, long revision) {
        terms = terms.withTerms(overage, dailyCredits, rollover, revision);
        termsChanged = true;
    }

    /** Terms a rule of this package changed (the daily reset's day). */
    void terms(AccountTerms changed) {
        terms = changed;
        termsChanged = true;
    }

    /** The subscription's period and grant as its latest event set them (kept on the account, for the scheduler's commands). */
    public void applyPeriod(SubscriptionPeriod period) {
        this.appliedPeriod = period;
    }

    // ---- grants, forfeits, debits ----------------------------------------------------------------

    /** Credits in a new bucket (nothing for zero credits); {@code announce} says credits.granted. */
    public void grant(CreditBucketKind kind, long credits, Instant expiresAt, String reason, String reference, boolean announce) {
        if (credits <= 0) {
            return;
        }
        record.grant(kind, credits, expiresAt, reason, reference);
        if (announce) {
            record.announce(new Announcement(Announcement.Type.GRANTED, kind, credits, reason, expiresAt, available(), now));
        }
    }

    /**
     * Forfeits up to {@code atMost} credits of the SUBSCRIPTION buckets {@code which} admits,
     * soonest-expiring first, announced as one forfeit; the credits forfeited.
     */
    public long forfeitSubscription(Predicate<BucketBalance> which, long atMost, String reason, String reference) {
        long forfeited = 0;
        for (BucketBalance b : live.stream().filter(b -> b.kind() == CreditBucketKind.SUBSCRIPTION && which.test(b))
                .sorted(SpendingOrder.ORDER).toList()) {
            long amount = Math.min(atMost - forfeited, b.remaining());
            if (amount <= 0) {
                break;
            }
            record.take(b.bucketId(), amount, EntryKind.FORFEIT, reason, reference, null);
            forfeited += amount;
        }
        if (forfeited > 0) {
            record.announce(new Announcement(Announcement.Type.FORFEITED, CreditBucketKind.SUBSCRIPTION, forfeited, reason, null,
                    available(), now));
        }
        return forfeited;
    }

    /**
     * A debit of {@code amount} with {@code held} credits reserved by open holds: planned in spending
     * order ({@link SpendingOrder}), taken as DEBIT entries, the uncovered part recorded as overage on
     * a BILL plan; a refused debit (BLOCK, not covered by the free credits) changes nothing.
     */
    public DebitOutcome debit(long amount, long held, String reason, String reference) {
        long before = available() - held;
        Spend spend = SpendingOrder.plan(live, held, amount, now, terms.overage().mode());
        if (!spend.refused()) {
            spend.takes().forEach(t -> record.take(t.bucketId(), t.amount(), EntryKind.DEBIT, reason, reference, null));
            if (spend.overage() > 0) {
                record.overage(spend.overage(), reference);
            }
        }
        return new DebitOutcome(spend, before);
    }

    /** Whether a hold of {@code amount} may be made beside {@code held} reserved already: a BLOCK plan cannot reserve what it lacks. */
    public boolean mayReserve(long amount, long held) {
        return terms.overage().mode() != Overage.Mode.BLOCK || available() - held >= amount;
    }

    /** Gives a debit's parts back (see {@link DebitReversal#giveBack}); the credits given back. */
    public long reverse(List<DebitReversal.Part> parts, String reason, String reference) {
        return DebitReversal.giveBack(this, parts, reason, reference);
    }

    // ---- balance alerts --------------------------------------------------------------------------

    /** The account's alerts as read under its lock (for the writer to check, {@link BalanceAlerts#changes}); null until read. */
    public BalanceAlerts.Watch watch() { return watch; }

    public void watch(BalanceAlerts.Watch alerts) { this.watch = alerts; }

    /** Spendable credits when the ledger was loaded, before this change. */
    public long availableAtLoad() { return availableAtLoad; }

    /** The grant in force after this change (a PERCENT_OF_GRANT alert is of it). */
    public long periodGrant() {
        return appliedPeriod != null ? appliedPeriod.creditsPerPeriod() : terms.creditsPerPeriod();
    }

    // ---- what the change recorded, for the writer ------------------------------------------------

    public boolean termsChanged() {
        return termsChanged;
    }

    /** The period this change applied, or null. */
    public SubscriptionPeriod appliedPeriod() {
        return appliedPeriod;
    }

    public LedgerRecord record() {
        return record;
    }
}
