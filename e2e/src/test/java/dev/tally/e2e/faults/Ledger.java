package dev.tally.e2e.faults;

import dev.tally.e2e.Suite.Service;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** One account's ledger and charges, read over HTTP as a client would (every page). */
final class Ledger {
    record Entry(long id, String bucket, String kind, long amount, String reason, String reference) {
    }

    final List<Entry> entries;
    final List<String> chargeKinds;

    private Ledger(List<Entry> entries, List<String> chargeKinds) {
        this.entries = entries;
        this.chargeKinds = chargeKinds;
    }

    static Ledger read(FaultStack stack, Client client, String account) {
        List<Entry> out = new ArrayList<>();
        long before = Long.MAX_VALUE;
        for (int page = 0; page < 500; page++) {
            var a = Client.require(client.get(stack.url(Service.CREDITS) + "/accounts/" + account + "/credits/ledger?limit=200&before=" + before,
                    Client.admin()), "ledger of " + account);
            var rows = a.json();
            for (var r : rows) {
                out.add(new Entry(r.path("id").asLong(), r.path("bucket").asText(), r.path("kind").asText(),
                        r.path("amount").asLong(), r.path("reason").asText(null), r.path("reference").asText(null)));
            }
            if (rows.size() < 200) {
                break;
            }
            before = out.get(out.size() - 1).id();
        }
        List<String> kinds = new ArrayList<>();
        long beforeCharge = Long.MAX_VALUE;
        for (int page = 0; page < 500; page++) {
            var charges = Client.require(client.get(stack.url(Service.SUBSCRIPTIONS) + "/accounts/" + account + "/charges?limit=200&before="
                    + beforeCharge, Client.admin()), "charges of " + account).json();
            long last = beforeCharge;
            for (var c : charges) {
                kinds.add(c.path("kind").asText());
                last = c.path("id").asLong();
            }
            if (charges.size() < 200) {
                break;
            }
            beforeCharge = last;
        }
        return new Ledger(out, kinds);
    }

    /** Every account's ledger, read four at a time (the invariants read every account the suite touched, after every fault). */
    static Map<String, Ledger> readAll(FaultStack stack, Client client, Collection<String> accounts) {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Map<String, Future<Ledger>> reads = new LinkedHashMap<>();
            for (String account : accounts) {
                reads.put(account, pool.submit(() -> read(stack, client, account)));
            }
            Map<String, Ledger> out = new LinkedHashMap<>();
            for (var e : reads.entrySet()) {
                out.put(e.getKey(), e.getValue().get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    List<Entry> grants(String bucket) {
        return entries.stream().filter(e -> "GRANT".equals(e.kind()) && bucket.equals(e.bucket()) && e.amount() > 0).toList();
    }

    long charges(String kind) {
        return chargeKinds.stream().filter(kind::equals).count();
    }
}
