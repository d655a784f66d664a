package dev.tally.testsupport;

import dev.tally.contracts.Topics;
import dev.tally.localstack.DevTokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Boots a service under test against a real PostgreSQL (a fresh database of its own) and a real
 * Kafka broker, both shared by the whole test JVM, and with JWT verification on the dev test key.
 * Arg {@code database}: the database name prefix (default {@code tally}).
 */
public class TallyInfraResource implements QuarkusTestResourceLifecycleManager {
    private String databasePrefix = "tally";

    @Override
    public void init(Map<String, String> initArgs) {
        databasePrefix = initArgs.getOrDefault("database", databasePrefix);
    }

    @Override
    public Map<String, String> start() {
        TestPostgres pg = TestPostgres.get();
        TestKafka kafka = TestKafka.get();
        kafka.createTopics(3, Set.of(Topics.PLANS, Topics.SUBSCRIPTIONS, Topics.CREDITS, Topics.BILLING_COMMANDS),
                Set.of(Topics.PLANS));
        String db = pg.createDatabase(databasePrefix);
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.datasource.reactive.url", pg.reactiveUrl(db));
        config.put("quarkus.datasource.jdbc.url", pg.jdbcUrl(db));
        config.put("quarkus.datasource.username", pg.user());
        config.put("quarkus.datasource.password", pg.password());
        config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        config.put("mp.jwt.verify.publickey.location", TestTokens.keys().publicKeyPem().toString());
        config.put("mp.jwt.verify.issuer", DevTokens.ISSUER);
        config.put("tally.clock.adjustable", "true");
        return config;
    }

    @Override
    public void stop() {
        // PostgreSQL and Kafka live as long as the JVM: other test classes reuse them.
    }
}
