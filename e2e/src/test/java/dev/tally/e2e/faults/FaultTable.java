package dev.tally.e2e.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The suite's report: one row per fault, printed after each and written to e2e/target/faults/fault-table.txt. */
final class FaultTable {
    record Row(String fault, int requests, int acknowledged, int applied, int lost, int doubled, double secondsToRecover,
               List<String> problems, List<String> details) {
        boolean holds() {
            return lost == 0 && doubled == 0 && problems.isEmpty();
        }
    }

    private final List<Row> rows = new ArrayList<>();
    private final Path file;
    private String header = "";

    FaultTable(Path file) {
        this.file = file;
    }

    void header(String line) {
        header = line;
    }

    synchronized void add(Row row) {
        rows.add(row);
        String text = render();
        System.out.println(text);
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            System.err.println("cannot write " + file + ": " + e.getMessage());
        }
    }

    String render() {
        StringBuilder out = new StringBuilder("\n").append(header).append('\n');
        out.append(String.format("| %-38s | %8s | %12s | %7s | %4s | %7s | %19s |%n", "fault", "requests", "acknowledged", "applied",
                "lost", "doubled", "seconds to recover"));
        out.append("|").append("-".repeat(40)).append("|----------|--------------|---------|------|---------|---------------------|\n");
        for (Row r : rows) {
            out.append(String.format("| %-38s | %8d | %12d | %7d | %4d | %7d | %19s |%n", r.fault(), r.requests(), r.acknowledged(),
                    r.applied(), r.lost(), r.doubled(), r.secondsToRecover() < 0 ? "not recovered" : String.format("%.1f", r.secondsToRecover())));
        }
        for (Row r : rows) {
            for (String p : java.util.stream.Stream.concat(r.details().stream(), r.problems().stream()).limit(12).toList()) {
                out.append("  ").append(r.fault()).append(": ").append(p).append('\n');
            }
        }
        return out.toString();
    }
}
