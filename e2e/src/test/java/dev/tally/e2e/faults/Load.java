package dev.tally.e2e.faults;

import dev.tally.e2e.Suite.Service;
import dev.tally.e2e.faults.Client.Answer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A fault's traffic: debits spread over a few accounts (each with a large promo grant, so no debit is
 * refused), and accounts that upgrade IMMEDIATE, buy top-ups, and schedule and cancel downgrades, so a
 * relay batch holds several events of the same accounts. Runs until
 * {@link #stop()}; a request in flight then still gets its answer (the client retries it).
 */
final class Load {
    private final FaultStack stack;
    private final Client client;
    private final Sent sent;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    Load(FaultStack stack, Client client, Sent sent) {
        this.stack = stack;
        this.client = client;
        this.sent = sent;
    }

    static String newAccount(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Starts the account on Free (its first read does) and gives debit accounts credits to spend. */
    void open(String account, boolean forDebits) {
        Client.require(client.get(stack.url(Service.SUBSCRIPTIONS) + "/accounts/" + account + "/subscription", Client.service()), "start " + account);
        if (forDebits) {
            Client.require(client.post(stack.url(Service.CREDITS) + "/accounts/" + account + "/credits/grants", Client.admin(),
                    "grant-" + account, "{\"credits\":1000000,\"reason\":\"fault suite\"}"), "grant " + account);
            sent.debitAccounts.add(account);
        } else {
            sent.paidAccounts.add(account);
        }
    }

    /** Opens each account and changes it to plus IMMEDIATE, {@code threads} at a time (a common-pool parallel stream is two threads on two cores). */
    void openOnPlus(List<String> accounts, int threads) throws Exception {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            for (var done : pool.invokeAll(accounts.stream().map(a -> (java.util.concurrent.Callable<Sent.Change>) () -> {
                open(a, false);
                return change(a, "plus");
            }).toList())) {
                done.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    Load debits(int workers, List<String> accounts) {
        for (int i = 0; i < workers; i++) {
            spawn("debits-" + i, () -> {
                while (running.get()) {
                    String account = accounts.get(ThreadLocalRandom.current().nextInt(accounts.size()));
                    long amount = 1 + ThreadLocalRandom.current().nextInt(3);
                    String key = UUID.randomUUID().toString();
                    Answer a = client.post(stack.url(Service.CREDITS) + "/accounts/" + account + "/credits/debits", Client.service(), key,
                            "{\"amount\":" + amount + ",\"reason\":\"" + key + "\"}");
                    sent.debits.add(new Sent.Debit(account, key, amount, a));
                }
            });
        }
        return this;
    }

    /**
     * One worker per account: free to plus and plus to pro, IMMEDIATE, each followed by a top-up; then, until
     * stopped, a downgrade to plus scheduled for the period end, its cancellation, and a top-up. Every step is an
     * event of the account's (a new revision for the plan steps), so relay batches hold runs of them.
     */
    Load planChanges(List<String> accounts) {
        for (String account : accounts) {
            spawn("changes-" + account, () -> {
                if (!change(account, "plus").answer().ok() || !topup(account).answer().ok()
                        || !change(account, "pro").answer().ok() || !topup(account).answer().ok()) {
                    return; // unknown state from here on: this account stops
                }
                while (running.get()) {
                    if (!other(account, "schedule", "POST", "/changes", "{\"planCode\":\"plus\",\"interval\":\"MONTH\"}").ok()
                            || !other(account, "cancel pending", "DELETE", "/pending-change", null).ok()
                            || !topup(account).answer().ok()) {
                        return;
                    }
                }
            });
        }
        return this;
    }

    private Answer other(String account, String what, String method, String path, String json) {
        String url = stack.url(Service.SUBSCRIPTIONS) + "/accounts/" + account + "/subscription" + path;
        Answer a = client.send(method, url, Client.service(), json == null ? null : UUID.randomUUID().toString(), json);
        if (what.equals("cancel pending") && a.status() == 409 && a.body().contains("no_pending_change")) {
            a = new Answer(200, a.body(), a.attempts()); // a retried DELETE whose first attempt did it (a DELETE has no key)
        }
        sent.others.add(new Sent.Other(account, what, a));
        return a;
    }

    Sent.Change change(String account, String plan) {
        String key = UUID.randomUUID().toString();
        Answer a = client.post(stack.url(Service.SUBSCRIPTIONS) + "/accounts/" + account + "/subscription/changes", Client.service(), key,
                "{\"planCode\":\"" + plan + "\",\"interval\":\"MONTH\",\"timing\":\"IMMEDIATE\"}");
        Sent.Change c = new Sent.Change(account, key, plan, a);
        sent.changes.add(c);
        return c;
    }

    Sent.Topup topup(String account) {
        String key = UUID.randomUUID().toString();
        Answer a = client.post(stack.url(Service.SUBSCRIPTIONS) + "/accounts/" + account + "/topups", Client.service(), key,
                "{\"packCode\":\"pack-500\"}");
        Sent.Topup t = new Sent.Topup(account, key, a);
        sent.topups.add(t);
        return t;
    }

    private void spawn(String name, Runnable work) {
        Thread t = new Thread(work, "fault-load-" + name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    /** Whether any of its workers still sends (a plan changer stops on an answer it did not expect). */
    boolean working() {
        return threads.stream().anyMatch(Thread::isAlive);
    }

    /** No new requests; waits (bounded by the client's patience) for the ones in flight to be answered. */
    void stop() throws InterruptedException {
        running.set(false);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        for (Thread t : threads) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
    }
}
