package dev.tally.backbone;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.backbone.outbox.OutboxRelay;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false)
class MessagingGuaranteesTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Inject
    OutboxRelay relay;

    @Inject
    Pool pool;

    @Test
    void eventsCommittedWhileTheRelayIsDownAreAllPublishedWhenItComesBack() throws InterruptedException {
        String acc = "acc-" + UUID.randomUUID();
        relay.stop();
        try {
            for (int i = 0; i < 20; i++) {
                given().header("Authorization", TestTokens.bearer(TestTokens.account(acc))).contentType(ContentType.JSON)
                        .body("{\"text\":\"n" + i + "\",\"amount\":1}").post("/accounts/{id}/notes", acc).then().statusCode(201);
            }
            assertEquals(20, count("SELECT count(*) FROM outbox_event WHERE sent_at IS NULL AND subject = '" + acc + "'"));
            Thread.sleep(500);
            assertEquals(0, count("SELECT count(*) FROM applied_command WHERE account_id = '" + acc + "'"));
        } finally {
            relay.start();
        }
        await().atMost(PATIENCE).until(() -> count("SELECT count(*) FROM applied_command WHERE account_id = '" + acc + "'") == 20);
        assertEquals(0, count("SELECT count(*) FROM outbox_event WHERE sent_at IS NULL AND subject = '" + acc + "'"));
    }

    @Test
    void aMessageDeliveredTwiceIsAppliedOnce() {
        String eventId = UUID.randomUUID().toString();
        UUID subscription = UUID.randomUUID();
        try (var producer = producer()) {
            producer.send(command(eventId, "acc-twice", subscription));
            producer.send(command(eventId, "acc-twice", subscription));
            producer.flush();
        }
        await().atMost(PATIENCE).until(() -> count("SELECT count(*) FROM inbox_event WHERE event_id = '" + eventId + "'") == 1);
        String marker = UUID.randomUUID().toString();
        try (var producer = producer()) {
            producer.send(command(marker, "acc-twice", UUID.randomUUID()));
        }
        // the marker comes after both copies on the same partition: once it is applied, both copies were seen
        await().atMost(PATIENCE).until(() -> count("SELECT count(*) FROM applied_command WHERE event_id = '" + marker + "'") == 1);
        assertEquals(1, count("SELECT count(*) FROM applied_command WHERE subscription_id = '" + subscription + "'"));
    }

    @Test
    void aPoisonMessageGoesToTheDeadLetterTopicAndTheNextOneIsStillApplied() {
        String unreadable = UUID.randomUUID().toString();
        String refused = UUID.randomUUID().toString();
        String good = UUID.randomUUID().toString();
        UUID goodSubscription = UUID.randomUUID();
        try (var producer = producer()) {
            var garbage = new ProducerRecord<>(Topics.BILLING_COMMANDS, "acc-poison", "{not json");
            garbage.headers().add(CloudEventHeaders.ID, unreadable.getBytes(StandardCharsets.UTF_8));
            garbage.headers().add(CloudEventHeaders.TYPE, "period.ended".getBytes(StandardCharsets.UTF_8));
            producer.send(garbage);
            producer.send(command(refused, "poison", UUID.randomUUID()));
            producer.send(command(good, "acc-poison", goodSubscription)); // same key, same partition as the garbage
            producer.flush();
        }
        await().atMost(PATIENCE).until(() -> count("SELECT count(*) FROM applied_command WHERE event_id = '" + good + "'") == 1);
        List<String> deadLetters = readIds(Topics.deadLetter(Topics.BILLING_COMMANDS, "backbone-test"), 2);
        assertTrue(deadLetters.contains(unreadable), "unreadable message in the dead-letter topic: " + deadLetters);
        assertTrue(deadLetters.contains(refused), "refused message in the dead-letter topic: " + deadLetters);
        assertEquals(0, count("SELECT count(*) FROM inbox_event WHERE event_id IN ('" + unreadable + "', '" + refused + "')"));
    }

    @Test
    void aBatchWithOneRefusedCommandAppliesEveryOtherOnceAndDeadLettersOnlyTheRefusedOne() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> good = new ArrayList<>();
        String refused = UUID.randomUUID().toString();
        try (var producer = producer()) {
            for (int i = 0; i < 60; i++) {
                String id = UUID.randomUUID().toString();
                good.add(id);
                producer.send(command(id, "acc-batch-" + run + "-" + (i % 7), UUID.randomUUID()));
                if (i == 30) {
                    producer.send(command(refused, "poison", UUID.randomUUID()));
                    producer.send(command(good.get(3), "acc-batch-" + run + "-3", UUID.randomUUID())); // a repeat inside the batch
                }
            }
            producer.flush();
        }
        await().atMost(PATIENCE).until(() -> count("SELECT count(*) FROM applied_command WHERE account_id LIKE 'acc-batch-" + run + "-%'") == 60);
        assertTrue(readIdsUntil(Topics.deadLetter(Topics.BILLING_COMMANDS, "backbone-test"), ids -> ids.contains(refused)).contains(refused));
        assertEquals(60, count("SELECT count(DISTINCT event_id) FROM applied_command WHERE account_id LIKE 'acc-batch-" + run + "-%'"));
        assertEquals(0, count("SELECT count(*) FROM inbox_event WHERE event_id = '" + refused + "'"));
    }

    @Test
    void aBatchWhoseTransactionFailsOnceIsAppliedRecordByRecordEveryCommandOnce() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = new ArrayList<>();
        try (var producer = producer()) {
            for (int i = 0; i < 30; i++) {
                String id = UUID.randomUUID().toString();
                ids.add(id);
                producer.send(command(id, (i == 12 ? "flaky-" : "acc-") + run + "-" + (i % 5), UUID.randomUUID()));
            }
            producer.flush();
        }
        await().atMost(PATIENCE).until(() -> count("SELECT count(*) FROM applied_command WHERE account_id LIKE '%-" + run + "-%'") == 30);
        assertEquals(30, count("SELECT count(*) FROM inbox_event WHERE event_id IN ('" + String.join("','", ids) + "')"));
        assertEquals(30, count("SELECT count(DISTINCT event_id) FROM applied_command WHERE account_id LIKE '%-" + run + "-%'"));
    }

    @Test
    void anEventOfATypeTheConsumerDoesNotHandleIsSkippedWithoutARecordInItsDatabase() {
        String other = UUID.randomUUID().toString();
        String marker = UUID.randomUUID().toString();
        try (var producer = producer()) {
            var usage = new ProducerRecord<>(Topics.BILLING_COMMANDS, "acc-skip", "{\"subscriptionId\":\"" + UUID.randomUUID()
                    + "\",\"accountId\":\"acc-skip\",\"periodStart\":\"2026-01-01T00:00:00Z\",\"periodEnd\":\"2026-02-01T00:00:00Z\","
                    + "\"closeAt\":\"2026-01-29T00:00:00Z\"}");
            usage.headers().add(CloudEventHeaders.ID, other.getBytes(StandardCharsets.UTF_8));
            usage.headers().add(CloudEventHeaders.TYPE, "usage.close-due".getBytes(StandardCharsets.UTF_8));
            producer.send(usage);
            producer.send(command(marker, "acc-skip", UUID.randomUUID())); // same key, after it on the partition
            producer.flush();
        }
        await().atMost(PATIENCE).until(() -> count("SELECT count(*) FROM applied_command WHERE event_id = '" + marker + "'") == 1);
        assertEquals(0, count("SELECT count(*) FROM inbox_event WHERE event_id = '" + other + "'"));
        assertEquals(1, count("SELECT count(*) FROM inbox_event WHERE event_id = '" + marker + "'"));
    }

    private ProducerRecord<String, String> command(String eventId, String accountId, UUID subscription) {
        String json = "{\"subscriptionId\":\"" + subscription + "\",\"accountId\":\"" + accountId
                + "\",\"periodStart\":\"2026-01-01T00:00:00Z\",\"periodEnd\":\"2026-02-01T00:00:00Z\"}";
        var record = new ProducerRecord<>(Topics.BILLING_COMMANDS, accountId, json);
        record.headers().add(CloudEventHeaders.ID, eventId.getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEventHeaders.TYPE, "period.ended".getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEventHeaders.SUBJECT, accountId.getBytes(StandardCharsets.UTF_8));
        return record;
    }

    private static KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.get().bootstrapServers()),
                new StringSerializer(), new StringSerializer());
    }

    private static List<String> readIds(String topic, int atLeast) {
        return readIdsUntil(topic, ids -> ids.size() >= atLeast);
    }

    private static List<String> readIdsUntil(String topic, java.util.function.Predicate<List<String>> enough) {
        List<String> ids = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.get().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + PATIENCE.toMillis();
            while (!enough.test(ids) && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                    var h = r.headers().lastHeader(CloudEventHeaders.ID);
                    if (h != null) {
                        ids.add(new String(h.value(), StandardCharsets.UTF_8));
                    }
                });
            }
        }
        return ids;
    }

    private long count(String sql) {
        return pool.query(sql).execute().await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }
}
