package dev.tally.localstack;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** What {@code ./tally up} prints once everything is ready: where to click, where to look. */
public final class Banner {

    private Banner() {
    }

    public static void print(StackHome home, StackConfig config, double seconds) {
        System.out.printf("%nTally is up (%.1f s).%n%n", seconds);
        System.out.printf("  %-22s %-24s %-40s %-38s %s%n", "service", "API", "Swagger UI", "Ready", "Metrics");
        for (TallyService s : TallyService.values()) {
            String url = s.baseUrl();
            if (!config.runs(s)) {
                System.out.printf("  %-22s not started (TALLY_SKIP); expected at %s%n", s.module(), url);
                continue;
            }
            if (s == TallyService.WEB) {
                System.out.printf("  %-22s %-24s Plan & Credits %s/ (dev login: any account), support console %s/support%n",
                        s.module(), url, url, url);
                continue;
            }
            System.out.printf("  %-22s %-24s %-40s %-38s %s%n", s.module(), url, url + "/q/swagger-ui",
                    url + "/q/health/ready", url + "/q/metrics");
        }
        System.out.printf("%n  PostgreSQL  %s%s  user %s  databases tally_plans, tally_subscriptions, tally_credits, tally_scheduler%n",
                config.jdbcUrl(""), config.externalPg() ? " (external)" : "", config.pgUser());
        System.out.printf("  Kafka       %s%s  topics %s%n", config.kafkaBootstrap(),
                config.externalKafka() ? " (external)" : "", String.join(", ", new java.util.TreeSet<>(Topics.ALL.keySet())));
        System.out.printf("  Logs        %s/<name>.log   (./tally logs plans-service)%n", home.root().relativize(home.logs()));
        System.out.println("  Token       TOKEN=$(./tally token account acc-demo)   (or: token service | token admin)");
        System.out.println("              curl -H \"Authorization: Bearer $TOKEN\" http://127.0.0.1:8083/accounts/acc-demo/credits");
        System.out.println("  Stop        Ctrl-C here, or ./tally down from another terminal");
        System.out.flush();
    }

    /** The last {@code lines} lines of a log, for the "why did it not start" message. */
    public static String tail(Path file, int lines) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.max(0, f.length() - 64 * 1024);
            byte[] buf = new byte[(int) (f.length() - start)];
            f.seek(start);
            f.readFully(buf);
            String[] all = new String(buf, StandardCharsets.UTF_8).split("\n");
            StringBuilder out = new StringBuilder();
            for (int i = Math.max(0, all.length - lines); i < all.length; i++) {
                out.append("    | ").append(all[i]).append('\n');
            }
            return out.toString();
        } catch (IOException e) {
            return "    (no log at " + file + ")\n";
        }
    }
}
