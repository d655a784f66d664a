package dev.tally.credits.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.contracts.credits.CreditBucketKind;
import dev.tally.contracts.plans.Overage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.opentest4j.AssertionFailedError;

/**
 * The whole bucket logic the service runs, through {@link AccountLedger} as the service does (spend
 * in order with holds reserving credits, capture as a debit at capture time, release, hold expiry,
 * daily resets, bucket expiry by entries), driven by random
 * sequences and checked against a model that keeps only totals: every bucket equals the sum of
 * its entries and never goes negative, a debit or hold on BLOCK is refused exactly when the model
 * says the free credits (available less held) do not cover it, and no debit spends held credits.
 *
 * <p>Each repetition draws its sequence from a seed it prints ({@code seed N}); a failure names the
 * seed too. The seeds are fixed (base + repetition) so a run is reproducible; {@code -Dtally.seed=N}
 * moves the base.
 */
class LedgerModelPropertiesTest {
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final long DAILY = 100;

    sealed interface Op permits Grant, Debit, Reserve, Capture, Release, Tick {
    }

    record Grant(CreditBucketKind kind, long credits, Long expiresInMinutes) implements Op {
    }

    record Debit(long credits) implements Op {
    }

    record Reserve(long credits, long ttlMinutes) implements Op {
    }

    record Capture(int hold, long credits) implements Op {
    }

    record Release(int hold) implements Op {
    }

    record Tick(long minutes) implements Op {
    }

    private static final int TRIES = 400;
    private static final int MAX_OPS = 80;
    private static final CreditBucketKind[] GRANTED = {CreditBucketKind.SUBSCRIPTION, CreditBucketKind.PROMO, CreditBucketKind.TOPUP};

    /** A random sequence of up to {@value #MAX_OPS} operations; debits are drawn twice as often as each other kind. */
    static List<Op> operations(SplittableRandom random) {
        int size = random.nextInt(MAX_OPS + 1);
        List<Op> ops = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            ops.add(switch (random.nextInt(7)) {
                case 0 -> new Grant(GRANTED[random.nextInt(GRANTED.length)], random.nextLong(1, 401),
                        random.nextDouble() < 0.4 ? null : random.nextLong(10, 3001));
                case 1, 2 -> new Debit(random.nextLong(1, 251));
                case 3 -> new Reserve(random.nextLong(1, 201), random.nextLong(1, 601));
                case 4 -> new Capture(random.nextInt(10), random.nextLong(1, 201));
                case 5 -> new Release(random.nextInt(10));
                default -> new Tick(random.nextLong(1, 901));
            });
        }
        return ops;
    }

    static long seed(RepetitionInfo repetition) {
        return Long.getLong("tally.seed", 0x1ED6E5L) + repetition.getCurrentRepetition();
    }

    /** One hold as the service keeps it. */
    static final class Hold {
        final long credits;
        final Instant expiresAt;
        boolean open = true;

        Hold(long credits, Instant expiresAt) {
            this.credits = credits;
            this.expiresAt = expiresAt;
        }

        boolean openAt(Instant now) {
            return open && now.isBefore(expiresAt);
        }
    }

    /**
     * The service's side: every operation is one transaction on an {@link AccountLedger} opened at
     * that instant over the buckets the last one left (as the service loads it), its entries kept.
     */
    static final class Ledger {
        final List<BucketBalance> buckets = new ArrayList<>();
        final List<long[]> entries = new ArrayList<>(); // {bucketId, amount}
        final List<Hold> holds = new ArrayList<>();
        final java.util.concurrent.atomic.AtomicLong ids = new java.util.concurrent.atomic.AtomicLong();
        AccountTerms terms = new AccountTerms("acc", new Overage(Overage.Mode.BLOCK, 0, 1, null), DAILY, null, 1);

        AccountLedger open(Instant now) {
            return new AccountLedger(terms, buckets, ids::incrementAndGet, now);
        }

        void commit(AccountLedger l) {
            buckets.clear();
            buckets.addAll(l.live());
            l.record().entries().forEach(e -> entries.add(new long[] {e.bucketId(), e.amount()}));
            terms = l.terms();
        }

        void grant(CreditBucketKind kind, long credits, Instant expiresAt, Instant now) {
            AccountLedger l = open(now);
            l.grant(kind, credits, expiresAt, "grant", "g", true);
            commit(l);
        }

        /** The lazy daily reset: the first touch on a new UTC day expires the old day's rest and grants the day. */
        void touch(Instant now) {
            AccountLedger l = open(now);
            l.touch();
            commit(l);
        }

        long held(Instant now, Hold except) {
            return holds.stream().filter(h -> h != except && h.openAt(now)).mapToLong(h -> h.credits).sum();
        }

        Spend spend(long amount, Instant now, Hold own) {
            AccountLedger l = open(now);
            l.touch();
            Spend spend = l.debit(amount, held(now, own), "debit", "d").spend();
            commit(l);
            return spend;
        }
    }

    @RepeatedTest(TRIES)
    void bucketsStayTheSumOfTheirEntriesAndBlockRefusesExactlyWhenTheModelSaysSo(RepetitionInfo repetition) {
        long seed = seed(repetition);
        System.out.println("seed " + seed);
        List<Op> ops = operations(new SplittableRandom(seed));
        try {
            check(ops);
        } catch (AssertionFailedError e) {
            throw new AssertionFailedError("seed " + seed + " (" + ops.size() + " ops): " + e.getMessage(), e);
        }
    }

    private static void check(List<Op> ops) {
        Ledger ledger = new Ledger();
        Instant now = T0;
        for (Op op : ops) {
            if (op instanceof Grant g) {
                ledger.grant(g.kind(), g.credits(), g.expiresInMinutes() == null ? null : now.plus(Duration.ofMinutes(g.expiresInMinutes())), now);
            } else if (op instanceof Tick t) {
                now = now.plus(Duration.ofMinutes(t.minutes()));
            } else if (op instanceof Debit d) {
                ledger.touch(now);
                long free = modelAvailable(ledger, now) - ledger.held(now, null);
                Spend spend = ledger.spend(d.credits(), now, null);
                assertEquals(free < d.credits(), spend.refused(), "a BLOCK debit is refused exactly when the free credits fall short");
                if (!spend.refused()) {
                    assertEquals(d.credits(), spend.covered(), "a BLOCK debit is covered whole");
                    assertTrue(modelAvailable(ledger, now) >= ledger.held(now, null), "a debit never spends held credits");
                }
            } else if (op instanceof Reserve r) {
                ledger.touch(now);
                if (modelAvailable(ledger, now) - ledger.held(now, null) >= r.credits()) {
                    ledger.holds.add(new Hold(r.credits(), now.plus(Duration.ofMinutes(r.ttlMinutes()))));
                }
            } else if (op instanceof Capture c && c.hold() < ledger.holds.size()) {
                Hold hold = ledger.holds.get(c.hold());
                if (hold.openAt(now)) {
                    long amount = Math.min(c.credits(), hold.credits);
                    ledger.touch(now);
                    long free = modelAvailable(ledger, now) - ledger.held(now, hold);
                    Spend spend = ledger.spend(amount, now, hold);
                    assertEquals(free < amount, spend.refused(), "a capture is spent as a debit at capture time, beside the other holds");
                    if (!spend.refused()) {
                        hold.open = false; // captured, in part or whole; a refused capture leaves the hold open, as the service does
                    }
                }
            } else if (op instanceof Release r && r.hold() < ledger.holds.size()) {
                ledger.holds.get(r.hold()).open = false;
            }
            for (BucketBalance b : ledger.buckets) {
                long sum = ledger.entries.stream().filter(e -> e[0] == b.bucketId()).mapToLong(e -> e[1]).sum();
                assertEquals(sum, b.remaining(), "bucket " + b.bucketId() + " is the sum of its entries");
                assertTrue(b.remaining() >= 0, "no bucket goes negative");
            }
        }
    }

    /** The model: live credits summed from the entries alone, without the domain's code. */
    private static long modelAvailable(Ledger ledger, Instant now) {
        long total = 0;
        for (BucketBalance b : ledger.buckets) {
            boolean live = b.expiresAt() == null || now.isBefore(b.expiresAt());
            long fromEntries = ledger.entries.stream().filter(e -> e[0] == b.bucketId()).mapToLong(e -> e[1]).sum();
            if (live && fromEntries > 0) {
                total += fromEntries;
            }
        }
        return total;
    }
}
