package dev.tally.e2e.fuzz;

import dev.tally.e2e.fuzz.Operations.Operation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the fuzz sent and got: requests, statuses by class and by code, operations covered, what broke the rules. */
final class FuzzFigures {
    private final int operations;
    private final Map<String, Integer> byOperation = new TreeMap<>();
    private final Map<String, Integer> byService = new TreeMap<>();
    private final Map<Integer, Integer> byStatus = new TreeMap<>();
    private final List<String> failures = new ArrayList<>();
    private final List<String> accepted = new ArrayList<>();
    private int requests;

    FuzzFigures(int operations) {
        this.operations = operations;
    }

    void count(Operation op, int status) {
        requests++;
        byOperation.merge(op.name(), 1, Integer::sum);
        byService.merge(op.service(), 1, Integer::sum);
        byStatus.merge(status, 1, Integer::sum);
    }

    void fail(String what) {
        failures.add(what);
    }

    void accepted(String what) {
        accepted.add(what);
    }

    List<String> failures() {
        return failures;
    }

    String report(Duration took, long seed) {
        Map<String, Integer> classes = new TreeMap<>();
        byStatus.forEach((status, n) -> classes.merge(status <= 0 ? (status == 0 ? "closed over the body limit" : status == -1 ? "failed" : "not sent")
                : status / 100 + "xx", n, Integer::sum));
        StringBuilder out = new StringBuilder();
        out.append(String.format("API fuzz (seed %d): %,d requests in %.0f s over %d of %d operations (4 services: %s)%n", seed, requests,
                took.toMillis() / 1000.0, byOperation.size(), operations, byService));
        out.append("  by class:  ").append(classes).append('\n');
        out.append("  by status: ").append(byStatus).append('\n');
        out.append("  accepted (2xx): ").append(accepted.size()).append(accepted.isEmpty() ? "" : ", e.g. " + accepted.subList(0,
                Math.min(5, accepted.size()))).append('\n');
        out.append("  broke the rules: ").append(failures.size()).append('\n');
        failures.stream().limit(40).forEach(f -> out.append("    ").append(f).append('\n'));
        return out.toString();
    }
}
