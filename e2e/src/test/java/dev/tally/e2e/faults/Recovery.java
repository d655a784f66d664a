package dev.tally.e2e.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * After a fault is repaired: waits (bounded) until everything is published, consumed and granted, times
 * that, and checks every invariant. Remembers what earlier rows found, so each row reports only what is new.
 */
final class Recovery {
    private final FaultStack stack;
    private final Client client;
    private final Invariants invariants;
    private final Duration converge;
    private int knownMissing;
    private int knownLost;
    private int knownDoubled;
    private final Set<String> known = new HashSet<>();

    Recovery(FaultStack stack, Client client, Invariants invariants, Duration converge) {
        this.stack = stack;
        this.client = client;
        this.invariants = invariants;
        this.converge = converge;
    }

    /** Polls until everything is published, consumed and granted (bounded), then checks every invariant. */
    /** What a detail is about: the account before ": ", or the whole line (a debit names its own id). */
    private static String subject(String detail) {
        int colon = detail.indexOf(": ");
        return colon < 0 ? detail : detail.substring(0, colon);
    }

    FaultTable.Row measure(Sent row, List<Sent> all, long repairedAt) throws InterruptedException {
        long deadline = System.nanoTime() + converge.toNanos();
        double seconds = -1;
        while (System.nanoTime() < deadline) {
            if (Caught.behind(stack).isEmpty() && invariants.missingGrants(all) <= knownMissing) {
                seconds = (System.nanoTime() - repairedAt) / 1e9;
                break;
            }
            Thread.sleep(500);
        }
        var v = invariants.check(row, all);
        List<String> problems = new ArrayList<>(v.problems().stream().filter(p -> !known.contains(p)).toList());
        List<String> details = v.details().stream().filter(d -> !known.contains(subject(d))).toList();
        int lost = Math.max(0, v.lost() - knownLost);
        int doubled = Math.max(0, v.doubled() - knownDoubled);
        knownLost = Math.max(knownLost, v.lost());
        knownDoubled = Math.max(knownDoubled, v.doubled());
        knownMissing = Math.max(knownMissing, invariants.missingGrants(all));
        known.addAll(v.problems());
        v.details().forEach(d -> known.add(subject(d)));
        row.refused().stream().findFirst().ifPresent(first -> problems.add(row.refused().size()
                + " requests answered neither 2xx nor retryable, the load stopped on them; first: " + first));
        if (row.unanswered() > 0) {
            problems.add(row.unanswered() + " requests never answered within the client's patience");
        }
        System.out.printf("%s: also %d requests without a ledger effect (downgrades scheduled and cancelled), %d retries in all%n",
                row.fault, row.others.size(), client.retries.get());
        return new FaultTable.Row(row.fault, row.requests(), row.acknowledged(), v.applied(), lost, doubled, seconds, problems, details);
    }
}
