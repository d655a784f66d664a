package dev.tally.backbone;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tally.contracts.CloudEventHeaders;
import dev.tally.contracts.Topics;
import dev.tally.testsupport.TallyInfraResource;
import dev.tally.testsupport.TestKafka;
import dev.tally.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The real relay and the real broker, taken down twice while several accounts keep writing (so
 * batches hold several events of the same accounts when it goes): every event arrives, and each
 * account's first copies arrive in commit order.
 */
@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false)
class BrokerBounceOrderTest {
    private static final int ACCOUNTS = 3;
    private static final int NOTES = 30;

    @Inject
    Pool pool;

    @Test
    void eachAccountsEventsArriveInCommitOrderThroughBrokerOutages() throws Exception {
        assumeTrue(TestKafka.get().isEmbedded(), "needs the embedded broker to take it down");
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<CompletableFuture<Void>> writers = IntStream.range(0, ACCOUNTS).mapToObj(a -> CompletableFuture.runAsync(() -> {
            String acc = "acc-" + run + "-" + a;
            for (int i = 0; i < NOTES; i++) {
                given().header("Authorization", TestTokens.bearer(TestTokens.account(acc))).contentType(ContentType.JSON)
                        .body("{\"text\":\"n" + i + "\",\"amount\":1}").post("/accounts/{id}/notes", acc)
                        .then().statusCode(201);
                sleep(150);
            }
        })).toList();
        try {
            for (int outage = 0; outage < 2; outage++) {
                sleep(1_000);
                TestKafka.get().stopBroker();
                sleep(3_000);
                TestKafka.get().startBroker();
            }
        } finally {
            CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get();
        }
        Map<String, Set<String>> firstCopies = new HashMap<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.get().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.BILLING_COMMANDS));
            await().atMost(Duration.ofSeconds(120)).until(() -> {
                consumer.poll(Duration.ofMillis(300)).forEach(r -> {
                    if (r.key().startsWith("acc-" + run)) {
                        String eventId = new String(r.headers().lastHeader(CloudEventHeaders.ID).value(), StandardCharsets.UTF_8);
                        firstCopies.computeIfAbsent(r.key(), k -> new LinkedHashSet<>()).add(eventId);
                    }
                });
                return firstCopies.values().stream().mapToInt(Set::size).sum() == ACCOUNTS * NOTES;
            });
        }
        for (int a = 0; a < ACCOUNTS; a++) {
            String acc = "acc-" + run + "-" + a;
            List<String> commitOrder = new ArrayList<>();
            pool.preparedQuery("SELECT id::text FROM outbox_event WHERE subject = $1 ORDER BY seq").execute(Tuple.of(acc))
                    .await().atMost(Duration.ofSeconds(10)).forEach(row -> commitOrder.add(row.getString(0)));
            assertEquals(NOTES, commitOrder.size());
            assertEquals(commitOrder, List.copyOf(firstCopies.get(acc)), acc + "'s events in commit order");
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
