package dev.tally.credits.service;

import dev.tally.backbone.inbox.InboundEvent;
import dev.tally.contracts.subscriptions.SubscriptionEvent;
import dev.tally.credits.repository.ParkedEvents.Parked;
import dev.tally.credits.repository.ParkedEvents.ToPark;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Puts one batch's subscription events, and those parked before, into revision order per account.
 * subscriptions-service raises a subscription's revision by exactly one with every save and emits
 * one event per revision (revision 1 is {@code subscription.started}), so each revision's effect is
 * applied once, in turn: the next revision is applied at once, then any parked successors; one
 * beyond the next waits (parked) for the gap to fill; one at or below the applied revision is a
 * repeat, its effect already in. A gap that never fills keeps its successors parked (see
 * ParkedEventsMonitor): they are never applied out of order.
 */
final class SubscriptionTurns {
    private record Waiting(InboundEvent event, Long seq) {
    }

    private final Map<String, Long> applied = new HashMap<>();
    private final Map<String, TreeMap<Long, Waiting>> waiting = new HashMap<>();
    private final List<Long> done = new ArrayList<>();

    /** {@code appliedRevisions}: each account's last applied revision (below 1: none yet). */
    SubscriptionTurns(Map<String, Long> appliedRevisions, List<Parked> parked) {
        appliedRevisions.forEach((account, revision) -> applied.put(account, Math.max(0, revision)));
        for (Parked p : parked) {
            if (p.revision() != null && p.revision() <= applied.getOrDefault(p.accountId(), 0L)) {
                done.add(p.seq()); // a repeat of what was applied meanwhile
            } else if (p.revision() != null) {
                wait(p.accountId(), p.revision(), new Waiting(p.event(), p.seq()));
            }
        }
    }

    static long revision(InboundEvent event) {
        return ((SubscriptionEvent) event.payload()).subscription().revision();
    }

    static String accountId(InboundEvent event) {
        return ((SubscriptionEvent) event.payload()).subscription().accountId();
    }

    /** The events whose turn has come with this one's arrival, in revision order (none if it must wait or is a repeat). */
    List<InboundEvent> arrived(InboundEvent event) {
        String account = accountId(event);
        long revision = revision(event);
        if (revision <= applied.getOrDefault(account, 0L)) {
            return List.of(); // a repeat: this revision's effect is in
        }
        wait(account, revision, new Waiting(event, null));
        List<InboundEvent> due = new ArrayList<>();
        TreeMap<Long, Waiting> queue = waiting.get(account);
        long last = applied.getOrDefault(account, 0L);
        while (!queue.isEmpty() && queue.firstKey() <= last + 1) {
            var next = queue.pollFirstEntry();
            if (next.getValue().seq() != null) {
                done.add(next.getValue().seq());
            }
            if (next.getKey() == last + 1) {
                due.add(next.getValue().event());
                last++;
            }
        }
        applied.put(account, last);
        return due;
    }

    /** The batch's events that still wait for an earlier revision. */
    List<ToPark> toPark() {
        List<ToPark> out = new ArrayList<>();
        waiting.forEach((account, queue) -> queue.forEach((revision, w) -> {
            if (w.seq() == null) {
                out.add(new ToPark(account, revision, w.event()));
            }
        }));
        return out;
    }

    /** The parked events that were applied now (or found to be repeats): no longer parked. */
    List<Long> unparked() {
        return done;
    }

    private void wait(String account, long revision, Waiting w) {
        waiting.computeIfAbsent(account, a -> new TreeMap<>()).putIfAbsent(revision, w); // a second event of one revision is a repeat
    }
}
