package dev.tally.credits.domain;

/** A debit as the ledger planned it: {@code availableBefore} is what was free (credits less holds) before it. */
public record DebitOutcome(Spend spend, long availableBefore) {

    public boolean refused() {
        return spend.refused();
    }

    /** What is free after it (never below zero). */
    public long balanceAfter() {
        return Math.max(0, availableBefore - spend.covered());
    }

    /** Whether it took the free balance across {@code threshold}: said once, not on every debit below it. */
    public boolean crossed(long threshold) {
        return !refused() && availableBefore >= threshold && availableBefore - spend.covered() < threshold;
    }
}
