package dev.tally.backbone;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.backbone.outbox.OutboxConfig;
import dev.tally.backbone.outbox.OutboxRelay;
import dev.tally.contracts.CloudEventHeaders;
import dev.tally.contracts.Topics;
import dev.tally.testsupport.TallyInfraResource;
import dev.tally.testsupport.TestKafka;
import dev.tally.testsupport.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false)
class TwoRelaysTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    OutboxConfig config;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @Test
    void twoReplicasRelayingOneOutboxPublishEachRowOnceAndInOrderPerKey() throws Exception {
        // a second relay on the same database, as a second replica of the service would run
        var secondReplica = new OutboxRelay(dataSource, config, kafkaConfig, "backbone-test-replica-2");
        secondReplica.start();
        String run = UUID.randomUUID().toString().substring(0, 8);
        try {
            // four accounts written concurrently, each account's notes one after the other
            List<CompletableFuture<Void>> posts = IntStream.range(0, 4).mapToObj(t -> CompletableFuture.runAsync(() -> {
                String acc = "acc-" + run + "-" + t;
                for (int i = 0; i < 50; i++) {
                    given().header("Authorization", TestTokens.bearer(TestTokens.account(acc))).contentType(ContentType.JSON)
                            .body("{\"text\":\"t" + t + "-" + i + "\",\"amount\":1}").post("/accounts/{id}/notes", acc)
                            .then().statusCode(201);
                }
            })).toList();
            CompletableFuture.allOf(posts.toArray(CompletableFuture[]::new)).get();
            Map<String, Integer> copies = new HashMap<>();
            Map<String, List<String>> periodEndsByKey = new HashMap<>();
            try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.get().bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of(Topics.BILLING_COMMANDS));
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    consumer.poll(Duration.ofMillis(300)).forEach(r -> {
                        if (r.key().startsWith("acc-" + run)) {
                            String id = new String(r.headers().lastHeader(CloudEventHeaders.ID).value(), StandardCharsets.UTF_8);
                            copies.merge(id, 1, Integer::sum);
                            periodEndsByKey.computeIfAbsent(r.key(), k -> new java.util.ArrayList<>())
                                    .add(r.value().replaceAll(".*\"periodEnd\": ?\"([^\"]+)\".*", "$1"));
                        }
                    });
                    return copies.size() == 200;
                });
                consumer.poll(Duration.ofSeconds(2)).forEach(r -> {
                    if (r.key().startsWith("acc-" + run)) {
                        copies.merge(new String(r.headers().lastHeader(CloudEventHeaders.ID).value(), StandardCharsets.UTF_8), 1, Integer::sum);
                    }
                });
            }
            assertEquals(200, copies.size());
            assertEquals(List.of(1), copies.values().stream().distinct().toList(), "no event published twice");
            periodEndsByKey.forEach((key, ends) -> org.junit.jupiter.api.Assertions.assertTrue(
                    ends.stream().sorted().toList().equals(ends), "events of " + key + " arrive in commit order"));
            assertEquals(4, periodEndsByKey.size());
        } finally {
            secondReplica.stop();
        }
    }
}
