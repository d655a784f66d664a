package dev.tally.testsupport;

import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * One real Kafka broker per test JVM, in KRaft combined mode (Kafka's own KafkaClusterTestKit), unless
 * {@code TALLY_TEST_KAFKA_BOOTSTRAP} names an external one.
 */
public final class TestKafka {
    private static TestKafka instance;

    private static KafkaClusterTestKit cluster;
    private final String bootstrapServers;

    private TestKafka(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    public static synchronized TestKafka get() {
        if (instance == null) {
            String external = System.getenv("TALLY_TEST_KAFKA_BOOTSTRAP");
            instance = new TestKafka(external != null && !external.isBlank() ? external : startEmbedded());
        }
        return instance;
    }

    private static String startEmbedded() {
        // A broker that fails while the JVM shuts down (its log dirs deleted under it) calls
        // Exit.halt(1), which would turn a passing test run into a failed fork: Kafka's own tests
        // replace these procedures the same way.
        org.apache.kafka.common.utils.Exit.setHaltProcedure((status, message) ->
                System.err.println("test broker asked to halt (" + status + "): " + message));
        org.apache.kafka.common.utils.Exit.setExitProcedure((status, message) ->
                System.err.println("test broker asked to exit (" + status + "): " + message));
        try {
            cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "3")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("num.partitions", "3")
                    .setConfigProp("auto.create.topics.enable", "true")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    cluster.close();
                } catch (Exception ignored) {
                    // the JVM is going away
                }
            }));
            return cluster.bootstrapServers();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the in-JVM Kafka broker", e);
        }
    }

    /** Takes the broker down (embedded only), as in an outage; {@link #startBroker()} brings it back on the same port. */
    public void stopBroker() {
        requireEmbedded().brokers().values().forEach(b -> b.shutdown());
    }

    public void startBroker() {
        requireEmbedded().brokers().values().forEach(b -> b.startup());
    }

    public boolean isEmbedded() {
        return cluster != null;
    }

    private static KafkaClusterTestKit requireEmbedded() {
        if (cluster == null) {
            throw new IllegalStateException("outage tests need the embedded broker");
        }
        return cluster;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Creates the topics that do not exist yet, with {@code partitions} each; compacted where asked. */
    public void createTopics(int partitions, Set<String> topics, Set<String> compacted) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(props)) {
            var existing = admin.listTopics().names().get();
            var missing = topics.stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, partitions, (short) 1)
                            .configs(compacted.contains(t) ? Map.of("cleanup.policy", "compact") : Map.of()))
                    .collect(Collectors.toList());
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topics " + topics, e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
