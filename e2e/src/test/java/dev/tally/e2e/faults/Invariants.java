package dev.tally.e2e.faults;

import dev.tally.e2e.Suite.Service;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The promises checked after every fault, over every account the suite ever touched: each acknowledged
 * debit is in the ledger exactly once (found by its key, which is its reason, and the debitId its 201
 * answered); each acknowledged plan change and renewal granted its plan's credits exactly once, each
 * acknowledged top-up its pack's once; the ledger check holds. Requests never answered may have been
 * applied once, never twice.
 */
final class Invariants {
    /** {@code details} names what was lost or doubled; {@code problems} are broken invariants. */
    record Verdict(int applied, int lost, int doubled, List<String> problems, List<String> details) {
    }

    private final FaultStack stack;
    private final Client client;
    private final Map<String, Long> planGrants;

    Invariants(FaultStack stack, Client client, Map<String, Long> planGrants) {
        this.stack = stack;
        this.client = client;
        this.planGrants = planGrants;
    }

    /** The grants still missing over all paid accounts (0 once the consumers caught up, if nothing was lost). */
    int missingGrants(List<Sent> all) {
        int missing = 0;
        Map<String, List<Sent>> byAccount = byAccount(all);
        Map<String, Ledger> ledgers = Ledger.readAll(stack, client, byAccount.keySet());
        for (var e : byAccount.entrySet()) {
            Ledger l = ledgers.get(e.getKey());
            missing += Math.max(0, expectedGrants(e.getValue(), e.getKey(), l) - l.grants("SUBSCRIPTION").size());
            missing += (int) topups(e.getValue(), e.getKey()).stream().filter(t -> t.answer().ok())
                    .filter(t -> l.grants("TOPUP").stream().noneMatch(g -> ("topup:" + t.purchaseId()).equals(g.reference()))).count();
        }
        return missing;
    }

    Verdict check(Sent row, List<Sent> all) {
        int[] applied = {0};
        int lost = 0;
        int doubled = 0;
        List<String> problems = new ArrayList<>();
        List<String> details = new ArrayList<>();
        Map<String, List<Sent>> byAccount = byAccount(all);
        List<String> touched = new ArrayList<>(byAccount.keySet());
        all.forEach(s -> touched.addAll(s.debitAccounts));
        Map<String, Ledger> ledgers = Ledger.readAll(stack, client, touched);
        for (Sent s : all) {
            for (String account : s.debitAccounts) {
                Ledger l = ledgers.get(account);
                Map<String, List<Ledger.Entry>> byKey = l.entries.stream().filter(e -> "DEBIT".equals(e.kind()))
                        .collect(Collectors.groupingBy(Ledger.Entry::reason));
                for (Sent.Debit d : s.debits.stream().filter(d -> d.account().equals(account)).toList()) {
                    List<Ledger.Entry> found = byKey.getOrDefault(d.key(), List.of());
                    Set<String> refs = found.stream().map(Ledger.Entry::reference).collect(Collectors.toSet());
                    if (refs.size() > 1) {
                        doubled += refs.size() - 1;
                        details.add("debit " + d.key() + " of " + account + " applied as " + refs);
                    }
                    if (d.answer().ok()) {
                        if (!refs.contains(d.debitId())) {
                            lost++;
                            details.add("debit " + d.debitId() + " (" + d.amount() + ") of " + account + " answered 201, not in the ledger");
                        } else if (found.stream().filter(e -> e.reference().equals(d.debitId())).mapToLong(Ledger.Entry::amount).sum() != -d.amount()) {
                            problems.add("debit " + d.debitId() + " of " + d.amount() + " has entries summing to another amount");
                        } else if (s == row) {
                            applied[0]++;
                        }
                    } else if (d.answer().status() >= 0 && !refs.isEmpty()) {
                        problems.add("debit " + d.key() + " answered " + d.answer().status() + " but is in the ledger");
                    }
                }
            }
        }
        for (var e : byAccount.entrySet()) {
            String account = e.getKey();
            List<Sent> sents = e.getValue();
            Ledger l = ledgers.get(account);
            long acked = changes(sents, account).stream().filter(c -> c.answer().ok()).count();
            long unanswered = changes(sents, account).stream().filter(c -> c.answer().status() < 0).count();
            int expected = expectedGrants(sents, account, l);
            int actual = l.grants("SUBSCRIPTION").size();
            lost += Math.max(0, expected - actual);
            doubled += (int) Math.max(0, actual - expected - unanswered);
            if (actual != expected) {
                details.add(account + ": " + actual + " SUBSCRIPTION grants " + amounts(l.grants("SUBSCRIPTION")) + " for " + acked
                        + " acknowledged changes " + changes(sents, account).stream().filter(c -> c.answer().ok()).map(Sent.Change::plan).toList()
                        + " and " + l.charges("RENEWAL") + " renewals (" + unanswered + " unanswered)");
            }
            if (unanswered == 0 && actual == expected && expectedSum(sents, account, l) != l.grants("SUBSCRIPTION").stream().mapToLong(Ledger.Entry::amount).sum()) {
                problems.add(account + ": SUBSCRIPTION grants sum to " + l.grants("SUBSCRIPTION").stream().mapToLong(Ledger.Entry::amount).sum()
                        + ", the acknowledged changes and renewals to " + expectedSum(sents, account, l));
            }
            long changeCharges = l.charges("NEW_PERIOD");
            if (changeCharges > acked + unanswered || changeCharges < acked) {
                problems.add(account + ": " + changeCharges + " plan-change charges for " + acked + " acknowledged changes");
            }
            Map<String, Long> topupGrants = l.grants("TOPUP").stream().collect(Collectors.groupingBy(Ledger.Entry::reference, Collectors.counting()));
            long topupsUnanswered = topups(sents, account).stream().filter(t -> t.answer().status() < 0).count();
            long foreign = topupGrants.size();
            for (Sent s : sents) {
                for (Sent.Topup t : s.topups.stream().filter(t -> t.account().equals(account) && t.answer().ok()).toList()) {
                    long n = topupGrants.getOrDefault("topup:" + t.purchaseId(), 0L);
                    foreign -= n > 0 ? 1 : 0;
                    if (n == 0) {
                        lost++;
                        details.add(account + ": top-up " + t.purchaseId() + " answered 201, never granted");
                    } else if (n > 1) {
                        doubled += (int) n - 1;
                        details.add(account + ": top-up " + t.purchaseId() + " granted " + n + " times");
                    } else if (s == row) {
                        applied[0]++;
                    }
                }
            }
            doubled += (int) Math.max(0, foreign - topupsUnanswered);
            if (sents.contains(row)) {
                applied[0] += (int) Math.min(actual, acked); // the grants of the row's changes (renewals are row 7's own count)
            }
        }
        var check = Client.require(client.get(stack.url(Service.CREDITS) + "/admin/ledger/check", Client.admin()), "ledger check");
        if (!check.json().path("holds").asBoolean(false)) {
            problems.add("ledger check does not hold: " + check.body());
        }
        problems.addAll(Caught.behind(stack));
        return new Verdict(applied[0], lost, doubled, problems, details);
    }

    /** One SUBSCRIPTION grant per acknowledged IMMEDIATE change and per renewal charged. */
    private int expectedGrants(List<Sent> sents, String account, Ledger l) {
        return (int) (changes(sents, account).stream().filter(c -> c.answer().ok()).count() + l.charges("RENEWAL"));
    }

    /** Each change grants its plan's credits; a renewal (all come after the changes here) grants the last plan's. */
    private long expectedSum(List<Sent> sents, String account, Ledger l) {
        List<Sent.Change> acked = changes(sents, account).stream().filter(c -> c.answer().ok()).toList();
        long sum = acked.stream().mapToLong(c -> planGrants.get(c.plan())).sum();
        return acked.isEmpty() ? sum : sum + l.charges("RENEWAL") * planGrants.get(acked.get(acked.size() - 1).plan());
    }

    private static List<Long> amounts(List<Ledger.Entry> entries) {
        return entries.stream().map(Ledger.Entry::amount).toList();
    }

    private static List<Sent.Change> changes(List<Sent> sents, String account) {
        return sents.stream().flatMap(s -> s.changes.stream()).filter(c -> c.account().equals(account)).toList();
    }

    private static List<Sent.Topup> topups(List<Sent> sents, String account) {
        return sents.stream().flatMap(s -> s.topups.stream()).filter(t -> t.account().equals(account)).toList();
    }

    private static Map<String, List<Sent>> byAccount(List<Sent> all) {
        Map<String, List<Sent>> out = new HashMap<>();
        for (Sent s : all) {
            s.paidAccounts.forEach(a -> out.computeIfAbsent(a, k -> new ArrayList<>()).add(s));
        }
        return out;
    }
}
