package dev.tally.credits.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** How lanes drain: at once when idle, then everything queued meanwhile as one group, in order, bounded, one key per group. */
class DebitLanesTest {
    record Item(String account, String key) {
        @Override
        public String toString() {
            return account + "/" + key;
        }
    }

    final List<List<Item>> groups = new ArrayList<>();
    final List<CompletableFuture<Void>> running = new ArrayList<>();

    DebitLanes<Item> lanes(int lanes, int max) {
        return new DebitLanes<>(lanes, max, Item::account, Item::key, group -> {
            groups.add(List.copyOf(group));
            CompletableFuture<Void> done = new CompletableFuture<>();
            running.add(done);
            return Uni.createFrom().completionStage(done);
        });
    }

    void finish(int group) {
        running.get(group).complete(null);
    }

    @Test
    void anIdleLaneRunsALoneDebitAtOnceAndWhatQueuesMeanwhileGoesTogetherInArrivalOrder() {
        var lanes = lanes(1, 200);
        lanes.offer(new Item("a", "1"));
        assertEquals("[[a/1]]", groups.toString(), "no wait for a group to fill");
        lanes.offer(new Item("a", "2"));
        lanes.offer(new Item("b", "3"));
        lanes.offer(new Item("a", "4"));
        assertEquals(1, groups.size(), "one group at a time per lane");
        finish(0);
        assertEquals("[[a/1], [a/2, b/3, a/4]]", groups.toString());
        finish(1);
        assertEquals(2, groups.size(), "an empty queue runs nothing");
    }

    @Test
    void aGroupHoldsAtMostTheMaximumAndTheRestFollows() {
        var lanes = lanes(1, 2);
        lanes.offer(new Item("a", "0"));
        for (int i = 1; i <= 5; i++) {
            lanes.offer(new Item("a", String.valueOf(i)));
        }
        finish(0);
        finish(1);
        finish(2);
        assertEquals("[[a/0], [a/1, a/2], [a/3, a/4], [a/5]]", groups.toString());
    }

    @Test
    void aRepeatedKeyWaitsForTheNextGroup() {
        var lanes = lanes(1, 200);
        lanes.offer(new Item("a", "0"));
        lanes.offer(new Item("a", "k"));
        lanes.offer(new Item("a", "k"));
        lanes.offer(new Item("b", "k"));
        finish(0);
        finish(1);
        assertEquals("[[a/0], [a/k, b/k], [a/k]]", groups.toString(), "the same key of another account is another debit");
    }

    @Test
    void lanesDrainIndependentlyAndAFailedGroupFreesItsLane() {
        var lanes = lanes(2, 200);
        String a = "acc-1";
        String b = java.util.stream.IntStream.range(2, 100).mapToObj(i -> "acc-" + i)
                .filter(x -> lanes.laneOf(x) != lanes.laneOf(a)).findFirst().orElseThrow();
        assertNotEquals(lanes.laneOf(a), lanes.laneOf(b));
        lanes.offer(new Item(a, "1"));
        lanes.offer(new Item(b, "2"));
        assertEquals(2, groups.size(), "a busy lane does not hold up another");
        lanes.offer(new Item(a, "3"));
        running.get(0).completeExceptionally(new IllegalStateException("refused"));
        assertEquals("[[" + a + "/1], [" + b + "/2], [" + a + "/3]]", groups.toString());
    }
}
