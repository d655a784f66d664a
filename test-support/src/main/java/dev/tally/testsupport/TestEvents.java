package dev.tally.testsupport;

import dev.tally.contracts.CloudEventHeaders;
import dev.tally.contracts.EventType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes an event to the test broker the way another service's outbox relay does (binary-mode
 * CloudEvents headers, key = account id or plan code), so a test can drive a consumer through the
 * real broker.
 */
public final class TestEvents {
    private TestEvents() {
    }

    /** Publishes {@code json} as an event of {@code type} and returns its event id. */
    public static String publish(EventType<?> type, String key, String subject, String json) {
        return publish(UUID.randomUUID().toString(), type, key, subject, json);
    }

    public static String publish(String eventId, EventType<?> type, String key, String subject, String json) {
        var record = new ProducerRecord<>(type.topic(), key, json);
        header(record, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_VALUE);
        header(record, CloudEventHeaders.ID, eventId);
        header(record, CloudEventHeaders.SOURCE, "/tally/test");
        header(record, CloudEventHeaders.TYPE, type.name());
        header(record, CloudEventHeaders.SUBJECT, subject);
        header(record, CloudEventHeaders.TIME, Instant.now().toString());
        header(record, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.get().bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish a test event", e);
        }
        return eventId;
    }

    private static void header(ProducerRecord<String, String> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
