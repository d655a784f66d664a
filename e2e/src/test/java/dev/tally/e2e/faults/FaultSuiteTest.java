package dev.tally.e2e.faults;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tally.e2e.Suite.Service;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Untidy faults against the whole suite as built, each under load, each followed by every invariant
 * (see {@link Invariants}) over every account touched so far. One row of the printed table per fault;
 * a row with anything newly lost or doubled, or an invariant newly broken, fails its test (a loss an
 * earlier row found is not counted again). Bounded: every load runs seconds, every wait has a deadline.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
class FaultSuiteTest {
    private static final Duration CONVERGE = Duration.ofSeconds(75);
    private FaultStack stack;
    private final Client client = new Client(Duration.ofSeconds(60));
    private final List<Sent> all = new ArrayList<>();
    private Invariants invariants;
    private FaultTable table;
    private Recovery recovery;

    @BeforeAll
    void start() throws Exception {
        long t0 = System.nanoTime();
        stack = FaultStack.start();
        Map<String, Long> grants = new HashMap<>();
        for (var plan : Client.require(client.get(stack.url(Service.PLANS) + "/plans", Client.service()), "catalog").json()) {
            grants.put(plan.path("code").asText(), plan.path("creditsPerPeriod").asLong());
        }
        invariants = new Invariants(stack, client, grants);
        recovery = new Recovery(stack, client, invariants, CONVERGE);
        table = new FaultTable(stack.logs().resolve("../fault-table.txt").normalize());
        table.header(String.format("Fault suite (stack up in %.0f s; PostgreSQL %s)", (System.nanoTime() - t0) / 1e9, stack.postgres.settings()));
    }

    @AfterAll
    void stop() throws Exception {
        if (table != null) {
            System.out.println(table.render());
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void brokerKilledWhileTheRelayHoldsABatchOfTheSameAccounts() throws Exception {
        // down longer than the relay's send timeout (10 s in this stack): the batch in flight fails part-way, as in a real outage
        Duration down = FaultStack.RELAY_SEND_TIMEOUT.plusSeconds(5);
        Sent row = row("broker SIGKILL mid-batch, down " + down.toSeconds() + " s");
        Load load = load(row, 8, 2, 2);
        Thread.sleep(400);
        stack.broker.kill();
        Thread.sleep(down.toMillis());
        stack.broker.start();
        long repaired = System.nanoTime();
        Thread.sleep(3_000);
        load.stop();
        assertHolds(measure(row, repaired));
    }

    @Test
    @Order(2)
    void subscriptionsServiceKilled() throws Exception {
        serviceKilled(Service.SUBSCRIPTIONS);
    }

    @Test
    @Order(3)
    void creditsServiceKilled() throws Exception {
        serviceKilled(Service.CREDITS);
    }

    @Test
    @Order(4)
    void schedulerKilled() throws Exception {
        serviceKilled(Service.SCHEDULER);
    }

    @Test
    @Order(5)
    void plansServiceKilled() throws Exception {
        serviceKilled(Service.PLANS);
    }

    private void serviceKilled(Service s) throws Exception {
        Sent row = row("kill -9 " + s.module());
        Load load = load(row, 4, 2, 3);
        Thread.sleep(1_000);
        assertMidWork(row, load);
        stack.services.kill(s);
        Thread.sleep(500);
        long repaired = System.nanoTime();
        stack.restart(s, client);
        Thread.sleep(1_000);
        load.stop();
        assertHolds(measure(row, repaired));
    }

    @Test
    @Order(6)
    void postgresStoppedInImmediateMode() throws Exception {
        Sent row = row("PostgreSQL stop -m immediate, down 3 s");
        Load load = load(row, 2, 2, 4);
        Thread.sleep(1_500);
        assertMidWork(row, load);
        stack.postgres.crash();
        Thread.sleep(3_000);
        long repaired = System.nanoTime();
        stack.postgres.start();
        Thread.sleep(3_000);
        load.stop();
        assertHolds(measure(row, repaired));
    }

    @Test
    @Order(7)
    void consumerKilledInTheMiddleOfARenewalBurst() throws Exception {
        Sent row = row("kill -9 credits mid renewal burst");
        Load load = new Load(stack, client, row);
        List<String> accounts = IntStream.range(0, 60).mapToObj(i -> Load.newAccount("burst")).toList();
        load.openOnPlus(accounts, 8);
        awaitCaughtUp();
        long paid = all.stream().mapToLong(s -> s.changes.stream().filter(c -> c.answer().ok()).map(Sent.Change::account).distinct().count()).sum();
        stack.advanceClock(client, Duration.ofDays(32)); // one period end for every paid account: a burst of renewals
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        long applied = 0;
        while (applied == 0 && System.nanoTime() < deadline) {
            applied = renewalsApplied();
            Thread.sleep(20);
        }
        stack.services.kill(Service.CREDITS);
        System.out.println("credits-service killed after " + applied + " of " + paid + " renewals applied");
        long repaired = System.nanoTime();
        stack.restart(Service.CREDITS, client);
        FaultTable.Row r = measure(row, repaired);
        List<String> problems = new ArrayList<>(r.problems());
        int renewals = 0;
        for (Sent s : all) {
            for (String a : s.paidAccounts) {
                if (s.changes.stream().noneMatch(c -> c.account().equals(a) && c.answer().ok())) {
                    continue; // never left Free: nothing to renew
                }
                long n = Ledger.read(stack, client, a).charges("RENEWAL");
                renewals += (int) n;
                if (n != 1) {
                    problems.add(a + ": " + n + " renewals charged for one period end");
                }
            }
        }
        assertHolds(new FaultTable.Row(r.fault(), r.requests() + (int) paid, r.acknowledged() + renewals,
                r.applied() + Math.max(0, renewals - r.lost()), r.lost(),
                r.doubled(), r.secondsToRecover(), problems, r.details()));
    }

    @Test
    @Order(8)
    void duplicatedAndReorderedRedeliveryOfOneAccountsEvents() throws Exception {
        Sent first = all.get(0); // the broker row's accounts: the most events each
        String account = first.paidAccounts.stream().max(java.util.Comparator.comparingLong(a -> first.others.stream()
                .filter(o -> o.account().equals(a)).count())).orElseThrow();
        var before = Ledger.read(stack, client, account).entries;
        var records = Redelivery.read(stack, "tally.subscriptions.v1", account);
        System.out.println("redelivering " + records.size() + " events of " + account + " twice, shuffled: " + Redelivery.types(records));
        int acked = Redelivery.publishShuffledTwice(stack, records, 15L);
        long repaired = System.nanoTime();
        Sent row = row("duplicated + reordered redelivery");
        FaultTable.Row r = measure(row, repaired);
        var after = Ledger.read(stack, client, account).entries;
        List<String> problems = new ArrayList<>(r.problems());
        if (!after.equals(before)) {
            problems.add(account + ": ledger changed by the redelivery (" + before.size() + " entries before, " + after.size() + " after)");
        }
        assertHolds(new FaultTable.Row(r.fault(), records.size() * 2, acked, 0, r.lost() + Math.max(0, before.size() - after.size()),
                r.doubled() + Math.max(0, after.size() - before.size()), r.secondsToRecover(), problems, r.details()));
    }

    private Sent row(String fault) {
        Sent s = new Sent(fault);
        all.add(s);
        return s;
    }

    /** Opens fresh accounts and starts the load on them: plan changers and debit accounts, {@code workers} debiting threads. */
    private Load load(Sent row, int changers, int debitAccounts, int workers) {
        Load load = new Load(stack, client, row);
        List<String> paid = IntStream.range(0, changers).mapToObj(i -> Load.newAccount("chg")).toList();
        List<String> spenders = IntStream.range(0, debitAccounts).mapToObj(i -> Load.newAccount("dbt")).toList();
        paid.forEach(a -> load.open(a, false));
        spenders.forEach(a -> load.open(a, true));
        return load.planChanges(paid).debits(workers, spenders);
    }

    private void awaitCaughtUp() throws InterruptedException {
        long deadline = System.nanoTime() + CONVERGE.toNanos();
        while (!Caught.behind(stack).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
    }

    private FaultTable.Row measure(Sent row, long repairedAt) throws InterruptedException {
        return recovery.measure(row, all, repairedAt);
    }

    /** The fault is about to land in the middle of the load's work: requests were answered already, and the load still runs. */
    private static void assertMidWork(Sent row, Load load) throws InterruptedException {
        if (row.acknowledged() == 0 || !load.working()) {
            load.stop(); // not left running into the next row
            fail(row.fault + ": the load had no answer yet, or had stopped, when the fault was due (" + row.acknowledged() + " acknowledged)");
        }
    }

    private void assertHolds(FaultTable.Row r) {
        table.add(r);
        assertTrue(r.holds(), r.fault() + ": " + r.lost() + " lost, " + r.doubled() + " doubled, problems " + r.problems());
    }

    private long renewalsApplied() {
        try (var c = stack.database(Service.CREDITS); var rs = c.createStatement()
                .executeQuery("SELECT count(*) FROM inbox_event WHERE event_type = 'subscription.renewed'")) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            return 0;
        }
    }
}
