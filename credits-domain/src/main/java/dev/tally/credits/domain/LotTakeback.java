package dev.tally.credits.domain;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Taking a lot's credits back (docs/rules.md, Lots): an admin's void, or the claw back of a top-up
 * whose payment was refunded or disputed. Works through {@link AccountLedger} (its account locked):
 * credits leave only by the ledger's entries (VOID, CLAWBACK), what could not be taken because it
 * was spent is the lot's shortfall, and a closed lot (voided, or clawed back whole) is never spent
 * again: it holds nothing, and a reversal of a debit that spent from it does not refill it
 * ({@link #withhold}). For every lot: granted = what it holds + what was spent of it, net of
 * reversals + taken back; the shortfall is the part of what was spent that its payment no longer covers.
 */
public final class LotTakeback {
    private LotTakeback() {
    }

    public enum Cause { VOID, REFUND, DISPUTE }

    /**
     * What was taken back of one lot so far: {@code claimed} the credits the refunds and disputes of its
     * payment account for (cumulative), {@code takenBack} what left by VOID and CLAWBACK entries,
     * {@code shortfall} what was owed but had been spent; {@code cause} the last one.
     */
    public record State(long lotId, boolean closed, long claimed, long takenBack, long shortfall, Cause cause) {
        public static State none(long lotId) {
            return new State(lotId, false, 0, 0, 0, null);
        }
    }

    /** The state after, and the credits this step took ({@code changed}: anything to write and announce). */
    public record Outcome(State state, long taken, boolean changed) {
    }

    /**
     * Voids a lot: whatever it still holds leaves by one VOID entry (the caller expired due lots first)
     * and it is closed. Voiding a closed lot changes nothing (a repeat is answered with its state).
     */
    public static Outcome voidLot(AccountLedger ledger, State before, String reason, String reference) {
        if (before.closed()) {
            return new Outcome(before, 0, false);
        }
        long taken = takeUpTo(ledger, before.lotId(), Long.MAX_VALUE, EntryKind.VOID, reason, reference);
        return new Outcome(new State(before.lotId(), true, before.claimed(), before.takenBack() + taken, before.shortfall(), Cause.VOID),
                taken, true);
    }

    /**
     * The credits of a lot of {@code granted} bought for {@code paidMinor} that refunds and disputes of
     * {@code takenBackMinor} (cumulative) account for: in proportion, rounded up (the buyer keeps only
     * what the money kept pays for, floor(granted × kept / paid), so no credit is kept unpaid).
     */
    public static long claimed(long granted, long paidMinor, long takenBackMinor) {
        if (paidMinor <= 0 || takenBackMinor >= paidMinor) {
            return granted;
        }
        if (takenBackMinor <= 0) {
            return 0;
        }
        return new BigDecimal(BigInteger.valueOf(granted).multiply(BigInteger.valueOf(takenBackMinor)))
                .divide(BigDecimal.valueOf(paidMinor), 0, RoundingMode.CEILING).longValueExact();
    }

    /**
     * Claws back what {@code claimed} (cumulative, see {@link #claimed}) adds to what was taken back or
     * is owed already: from what the lot holds, by a CLAWBACK entry; the part spent already becomes
     * shortfall. A claim no higher than before (a repeat, the echo of a refund applied) changes
     * nothing. The lot is closed once the claim is the whole grant.
     */
    public static Outcome clawBack(AccountLedger ledger, State before, long granted, long claimed, Cause cause, String reason,
                                   String reference) {
        long owed = Math.max(0, Math.min(claimed, granted) - before.takenBack() - before.shortfall());
        boolean closes = !before.closed() && claimed >= granted;
        long taken = before.closed() ? 0 : takeUpTo(ledger, before.lotId(), owed, EntryKind.CLAWBACK, reason, reference);
        State after = new State(before.lotId(), before.closed() || closes, Math.max(claimed, before.claimed()), before.takenBack() + taken,
                before.shortfall() + owed - taken, owed > 0 || closes ? cause : before.cause());
        return new Outcome(after, taken, owed > 0 || closes);
    }

    /** A reversal's parts once the lots it would refill have taken their due, and those lots' states after. */
    public record Withheld(List<DebitReversal.Part> parts, Map<Long, State> states) {
    }

    /**
     * What a reversal of a debit gives back, lot by lot: a part of a lot with a shortfall settles that
     * first (those credits count as taken back), and a closed lot keeps nothing of it (it is never
     * refilled, so never spent again); the rest goes back as AccountLedger.reverse says.
     * {@code states}: the states of the lots among the parts that have one.
     */
    public static Withheld withhold(List<DebitReversal.Part> parts, Map<Long, State> states) {
        Map<Long, State> after = new HashMap<>(states);
        List<DebitReversal.Part> out = new ArrayList<>();
        for (DebitReversal.Part p : parts) {
            State s = after.get(p.bucketId());
            if (s == null) {
                out.add(p);
                continue;
            }
            long kept = s.closed() ? p.credits() : Math.min(s.shortfall(), p.credits());
            long settled = Math.min(s.shortfall(), kept);
            after.put(p.bucketId(), new State(s.lotId(), s.closed(), s.claimed(), s.takenBack() + kept, s.shortfall() - settled, s.cause()));
            if (p.credits() > kept) {
                out.add(new DebitReversal.Part(p.bucketId(), p.bucket(), p.credits() - kept, p.expiresAt()));
            }
        }
        Map<Long, State> changed = new HashMap<>();
        after.forEach((id, s) -> {
            if (!s.equals(states.get(id))) {
                changed.put(id, s);
            }
        });
        return new Withheld(List.copyOf(out), changed);
    }

    private static long takeUpTo(AccountLedger ledger, long lotId, long atMost, EntryKind kind, String reason, String reference) {
        long amount = ledger.live().stream().filter(b -> b.bucketId() == lotId).mapToLong(BucketBalance::remaining).findFirst().orElse(0);
        amount = Math.min(amount, atMost);
        if (amount > 0) {
            ledger.record().take(lotId, amount, kind, reason, reference, null);
        }
        return amount;
    }
}
