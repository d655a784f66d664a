package dev.tally.localstack;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The suite's topics, created up front with explicit partitions and policies instead of relying on
 * broker auto-creation (which would make tally.plans.v1 a delete-policy topic with default partitions).
 */
public final class Topics {
    public static final Map<String, Map<String, String>> ALL = Map.of(
            "tally.plans.v1", Map.of("cleanup.policy", "compact"),
            "tally.subscriptions.v1", Map.of(),
            "tally.credits.v1", Map.of(),
            "tally.billing-commands.v1", Map.of());
    public static final int PARTITIONS = 3;

    private Topics() {
    }

    /** Creates the missing topics; retries while the broker is still electing itself. Returns those created. */
    public static List<String> ensure(String bootstrap, long timeoutMillis, BooleanSupplier brokerAlive) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        long deadline = System.currentTimeMillis() + timeoutMillis;
        try (Admin admin = Admin.create(props)) {
            while (true) {
                try {
                    Set<String> existing = admin.listTopics().names().get(15, TimeUnit.SECONDS);
                    List<NewTopic> missing = new ArrayList<>();
                    ALL.forEach((name, configs) -> {
                        if (!existing.contains(name)) {
                            missing.add(new NewTopic(name, PARTITIONS, (short) 1).configs(configs));
                        }
                    });
                    if (!missing.isEmpty()) {
                        admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
                    }
                    return missing.stream().map(NewTopic::name).sorted().toList();
                } catch (Exception e) {
                    if (System.currentTimeMillis() > deadline || !brokerAlive.getAsBoolean()) {
                        throw e;
                    }
                    Thread.sleep(500);
                }
            }
        }
    }
}
