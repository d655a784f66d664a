package dev.tally.credits.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The debit benchmark's baseline: pgbench {@code -N} (16 clients, 2 threads) on a scale-16 database of the test's PostgreSQL. */
final class Pgbench {
    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final int seconds;
    private final String binary = binary();

    Pgbench(String jdbcUrl, String user, String password, int seconds) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.seconds = seconds;
    }

    private static String binary() {
        String configured = System.getProperty("tally.bench.pgbench");
        if (configured != null) {
            return configured;
        }
        try (var versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin/pgbench")).filter(Files::isExecutable).max(Path::compareTo)
                    .map(Path::toString).orElse("pgbench");
        } catch (Exception e) {
            return "pgbench";
        }
    }

    /** A new database initialised for pgbench. */
    String database() throws Exception {
        String name = "pgbench_" + UUID.randomUUID().toString().substring(0, 8);
        try (var c = DriverManager.getConnection(jdbcUrl, user, password)) {
            c.createStatement().execute("CREATE DATABASE " + name);
        }
        exec("-i", "-q", "-s", "16", name);
        return name;
    }

    double tps(String database) throws Exception {
        return run(database).tps();
    }

    /** One round: its rate and how many transactions it committed. */
    record Round(double tps, long transactions) {
    }

    Round run(String database) throws Exception {
        String out = exec("-N", "-c", "16", "-j", "2", "-T", String.valueOf(seconds), database);
        Matcher m = Pattern.compile("tps = ([0-9.]+)").matcher(out);
        assertTrue(m.find(), "pgbench printed no tps:\n" + out);
        Matcher n = Pattern.compile("number of transactions actually processed: ([0-9]+)").matcher(out);
        assertTrue(n.find(), "pgbench printed no transaction count:\n" + out);
        return new Round(Double.parseDouble(m.group(1)), Long.parseLong(n.group(1)));
    }

    private String exec(String... args) throws Exception {
        var uri = java.net.URI.create(jdbcUrl.replaceFirst("^jdbc:", ""));
        List<String> argv = new ArrayList<>(List.of(binary, "-h", uri.getHost(), "-p", String.valueOf(uri.getPort()), "-U", user));
        argv.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", password);
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(seconds + 120L, TimeUnit.SECONDS), "pgbench did not finish");
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
