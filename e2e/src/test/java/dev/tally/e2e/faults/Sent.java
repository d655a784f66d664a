package dev.tally.e2e.faults;

import dev.tally.e2e.faults.Client.Answer;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Every mutation one fault's load sent, and the answer it finally got: what the invariants are checked against. */
final class Sent {
    record Debit(String account, String key, long amount, Answer answer) {
        String debitId() {
            return answer.ok() ? answer.json().path("debitId").asText() : null;
        }
    }

    /** An IMMEDIATE change to {@code plan}; its grant is the plan's credits per period. */
    record Change(String account, String key, String plan, Answer answer) {
    }

    record Topup(String account, String key, Answer answer) {
        String purchaseId() {
            return answer.ok() ? answer.json().path("purchaseId").asText() : null;
        }
    }

    /** Requests without a ledger effect: a downgrade scheduled for the period end, and its cancellation. */
    record Other(String account, String what, Answer answer) {
    }

    final String fault;
    final Queue<Other> others = new ConcurrentLinkedQueue<>();
    final Queue<Debit> debits = new ConcurrentLinkedQueue<>();
    final Queue<Change> changes = new ConcurrentLinkedQueue<>();
    final Queue<Topup> topups = new ConcurrentLinkedQueue<>();
    final Set<String> debitAccounts = ConcurrentHashMap.newKeySet();
    final Set<String> paidAccounts = ConcurrentHashMap.newKeySet();

    Sent(String fault) {
        this.fault = fault;
    }

    /** Requests with a ledger effect (debits, IMMEDIATE changes, top-ups); {@link #others} are counted apart. */
    int requests() {
        return debits.size() + changes.size() + topups.size();
    }

    int acknowledged() {
        return (int) (debits.stream().filter(d -> d.answer().ok()).count() + changes.stream().filter(c -> c.answer().ok()).count()
                + topups.stream().filter(t -> t.answer().ok()).count());
    }

    /** Answers that were neither 2xx nor worth a retry (a 4xx): the load expects none. */
    java.util.List<String> refused() {
        return java.util.stream.Stream.of(debits.stream().map(Debit::answer), changes.stream().map(Change::answer),
                        topups.stream().map(Topup::answer), others.stream().map(Other::answer))
                .flatMap(x -> x).filter(a -> a.status() >= 300).map(a -> a.status() + " " + a.body()).toList();
    }

    /** Requests that never got an answer within the client's patience: applied or not, the client cannot know. */
    int unanswered() {
        return (int) (debits.stream().filter(d -> d.answer().status() < 0).count() + changes.stream().filter(c -> c.answer().status() < 0).count()
                + topups.stream().filter(t -> t.answer().status() < 0).count() + others.stream().filter(o -> o.answer().status() < 0).count());
    }
}
