package dev.tally.backbone.health;

import dev.tally.backbone.outbox.OutboxRelay;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only when the Kafka cluster answers and the outbox relay runs: a service that cannot
 * publish still commits its changes (they wait in the outbox), but it should not take traffic
 * before it has reached the broker once.
 */
@Readiness
@ApplicationScoped
public class KafkaReadiness implements HealthCheck {
    private final Map<String, Object> kafkaConfig;
    private final OutboxRelay relay;
    private Admin admin;

    public KafkaReadiness(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, OutboxRelay relay) {
        this.kafkaConfig = kafkaConfig;
        this.relay = relay;
    }

    @Override
    public synchronized HealthCheckResponse call() {
        var response = HealthCheckResponse.named("kafka").withData("outboxRelayRunning", relay.isRunning())
                .withData("published", relay.publishedCount());
        try {
            String clusterId = admin().describeCluster().clusterId().get(3, TimeUnit.SECONDS);
            return response.withData("clusterId", clusterId).status(relay.isRunning()).build();
        } catch (Exception e) {
            return response.withData("error", e.getClass().getSimpleName()).down().build();
        }
    }

    private Admin admin() {
        if (admin == null) {
            Map<String, Object> props = new HashMap<>();
            kafkaConfig.forEach((k, v) -> {
                if (AdminClientConfig.configNames().contains(k)) {
                    props.put(k, v);
                }
            });
            props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
            props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
            admin = Admin.create(props);
        }
        return admin;
    }
}
