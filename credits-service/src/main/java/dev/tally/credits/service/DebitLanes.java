package dev.tally.credits.service;

import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The lane scheduler of grouped debits. An item joins one of a few lanes, chosen by its account, so
 * one account's items keep their order and two lanes never wait on each other's rows. A lane runs
 * one group at a time: an idle lane runs a lone item at once (grouping adds no wait); items offered
 * while it runs queue up and go together in the next group, at most {@code maxGroup}, in arrival
 * order. An item whose (account, key) is in the group already waits for the next group, where it
 * finds the first one's stored answer. {@code run} answers each item itself; a group whose Uni
 * fails still frees its lane.
 */
final class DebitLanes<T> {
    private final List<Lane> lanes = new ArrayList<>();
    private final int maxGroup;
    private final Function<T, String> account;
    private final Function<T, String> key;
    private final Function<List<T>, Uni<Void>> run;

    DebitLanes(int lanes, int maxGroup, Function<T, String> account, Function<T, String> key, Function<List<T>, Uni<Void>> run) {
        for (int i = 0; i < lanes; i++) {
            this.lanes.add(new Lane());
        }
        this.maxGroup = maxGroup;
        this.account = account;
        this.key = key;
        this.run = run;
    }

    void offer(T item) {
        lanes.get(laneOf(account.apply(item))).offer(item);
    }

    int laneOf(String accountId) {
        return Math.floorMod(accountId.hashCode(), lanes.size());
    }

    private final class Lane {
        private final Queue<T> queue = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean running = new AtomicBoolean();

        void offer(T item) {
            queue.add(item);
            drain();
        }

        private void drain() {
            if (!running.compareAndSet(false, true)) {
                return;
            }
            List<T> group = new ArrayList<>();
            List<T> later = new ArrayList<>();
            Set<String> keys = new HashSet<>();
            T next;
            while (group.size() < maxGroup && (next = queue.poll()) != null) {
                (keys.add(account.apply(next) + "\n" + key.apply(next)) ? group : later).add(next);
            }
            if (group.isEmpty()) {
                running.set(false);
                if (!queue.isEmpty()) { // an item offered while this lane was finding its queue empty
                    drain();
                }
                return;
            }
            Uni<Void> ran;
            try {
                ran = run.apply(group);
            } catch (RuntimeException e) {
                ran = Uni.createFrom().failure(e);
            }
            ran.subscribe().with(x -> done(later), e -> done(later));
        }

        /** A repeated key waits for the next group. */
        private void done(List<T> later) {
            queue.addAll(later);
            running.set(false);
            if (!queue.isEmpty()) {
                drain();
            }
        }
    }
}
