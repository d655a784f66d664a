package dev.tally.localstack;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the stack connects to, read from the environment: embedded PostgreSQL and Kafka by default,
 * or external ones named by {@code TALLY_PG_URL} / {@code TALLY_KAFKA_BOOTSTRAP}. Kept apart from
 * the launching code so the rules can be unit-tested with a plain map.
 */
public record StackConfig(String pgHostPort, String pgUser, String pgPassword, boolean externalPg,
                          String kafkaBootstrap, boolean externalKafka, int readyTimeoutSeconds, Set<String> skipped,
                          List<String> serviceJvmOptions) {

    public static final int DEFAULT_PG_PORT = 15432;
    public static final int KAFKA_PORT = 19092;
    public static final int KAFKA_CONTROLLER_PORT = 19093;

    public static StackConfig fromEnv(Map<String, String> env) {
        String pgUrl = blankToNull(env.get("TALLY_PG_URL"));
        String kafka = blankToNull(env.get("TALLY_KAFKA_BOOTSTRAP"));
        int timeout = Integer.parseInt(env.getOrDefault("TALLY_READY_TIMEOUT", "180"));
        // C1 only and the serial GC: what quarkus:dev does too; about a third faster to start on 2 cores.
        List<String> jvm = List.of(env.getOrDefault("TALLY_SERVICE_JAVA_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
                .trim().split("\\s+")).stream().filter(o -> !o.isEmpty()).toList();
        Set<String> skip = new TreeSet<>();
        for (String name : env.getOrDefault("TALLY_SKIP", "").split("[,\\s]+")) {
            if (!name.isBlank()) {
                skip.add(name.trim());
            }
        }
        if (pgUrl != null) {
            return new StackConfig(hostPort(pgUrl), env.getOrDefault("TALLY_PG_USER", "postgres"),
                    env.getOrDefault("TALLY_PG_PASSWORD", ""), true,
                    kafka != null ? kafka : "127.0.0.1:" + KAFKA_PORT, kafka != null, timeout, skip, jvm);
        }
        int port = Integer.parseInt(env.getOrDefault("TALLY_PG_PORT", String.valueOf(DEFAULT_PG_PORT)));
        return new StackConfig("127.0.0.1:" + port, "postgres", "", false,
                kafka != null ? kafka : "127.0.0.1:" + KAFKA_PORT, kafka != null, timeout, skip, jvm);
    }

    /** {@code jdbc:postgresql://db.example:5432/anything?x=y} gives {@code db.example:5432}. */
    static String hostPort(String jdbcUrl) {
        String prefix = "jdbc:postgresql://";
        if (!jdbcUrl.startsWith(prefix)) {
            throw new IllegalArgumentException("TALLY_PG_URL must look like jdbc:postgresql://host:port/, got " + jdbcUrl);
        }
        String rest = jdbcUrl.substring(prefix.length());
        int end = rest.indexOf('/');
        String hostPort = end < 0 ? rest : rest.substring(0, end);
        int query = hostPort.indexOf('?');
        hostPort = query < 0 ? hostPort : hostPort.substring(0, query);
        return hostPort.contains(":") ? hostPort : hostPort + ":5432";
    }

    /** Services named in TALLY_SKIP are not started, e.g. to run one of them in quarkus:dev instead. */
    public boolean runs(TallyService service) {
        return !skipped.contains(service.module());
    }

    public int pgPort() {
        return Integer.parseInt(pgHostPort.substring(pgHostPort.lastIndexOf(':') + 1));
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + pgHostPort + "/" + database;
    }

    /** The Vert.x reactive client's URL form, which has no {@code jdbc:} prefix. */
    public String reactiveUrl(String database) {
        return "postgresql://" + pgHostPort + "/" + database;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
