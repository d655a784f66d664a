package dev.tally.backbone.outbox;

import dev.tally.contracts.CloudEventHeaders;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Builds the relay's producers (a fresh one after each failure) and the records it sends from outbox rows. */
final class RelayProducers {
    private final Map<String, Object> kafkaConfig;
    private final OutboxConfig config;
    private final String source;
    private final Function<Map<String, Object>, Producer<String, String>> factory;

    RelayProducers(Map<String, Object> kafkaConfig, String serviceName, OutboxConfig config,
                   Function<Map<String, Object>, Producer<String, String>> factory) {
        this.kafkaConfig = kafkaConfig;
        this.config = config;
        this.source = "/tally/" + serviceName;
        this.factory = factory != null ? factory
                : props -> new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    Producer<String, String> create() {
        return factory.apply(producerConfig());
    }

    /** The oldest unsent rows, up to {@code limit}, in seq order: their seqs and their records. */
    record Unsent(List<Long> seqs, List<ProducerRecord<String, String>> records) {
    }

    Unsent unsent(Connection c, int limit) throws SQLException {
        List<Long> seqs = new ArrayList<>();
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        try (var select = c.prepareStatement("SELECT seq, id, topic, message_key, type, subject, payload::text, occurred_at "
                + "FROM outbox_event WHERE sent_at IS NULL ORDER BY seq LIMIT ?")) {
            select.setInt(1, limit);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    seqs.add(rs.getLong(1));
                    records.add(record(rs));
                }
            }
        }
        return new Unsent(seqs, records);
    }

    /** The record of the outbox row {@code rs} is on (columns as the relay selects them). */
    private ProducerRecord<String, String> record(ResultSet rs) throws SQLException {
        var record = new ProducerRecord<String, String>(rs.getString("topic"), rs.getString("message_key"), rs.getString(7));
        Instant time = rs.getTimestamp("occurred_at").toInstant();
        header(record, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_VALUE);
        header(record, CloudEventHeaders.ID, rs.getString("id"));
        header(record, CloudEventHeaders.SOURCE, source);
        header(record, CloudEventHeaders.TYPE, rs.getString("type"));
        header(record, CloudEventHeaders.SUBJECT, rs.getString("subject"));
        header(record, CloudEventHeaders.TIME, time.toString());
        header(record, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
        return record;
    }

    private static void header(ProducerRecord<String, String> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> props = new HashMap<>();
        kafkaConfig.forEach((k, v) -> {
            if (!k.startsWith("group.") && !k.startsWith("auto.offset")) {
                props.put(k, v);
            }
        });
        int sendTimeoutMs = (int) config.sendTimeout().toMillis();
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(10_000, sendTimeoutMs / 2));
        // Longer than a batch's wait: the relay discards the producer before it could expire a record
        // and go on with the ones behind it (see OutboxRelay).
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, sendTimeoutMs + 15_000);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.min(10_000, sendTimeoutMs / 2));
        props.put(ProducerConfig.CLIENT_ID_CONFIG, source.substring(7) + "-outbox");
        return props;
    }
}
