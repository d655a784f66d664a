package dev.tally.backbone.outbox;

import dev.tally.contracts.CloudEventHeaders;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Publishes committed outbox rows to Kafka in commit order and marks them sent, on a thread of its
 * own (blocking JDBC and producer calls never touch the event loop). Each batch runs in one
 * transaction holding a PostgreSQL advisory lock, so of several replicas only one publishes at a
 * time: per-key order holds and no row goes out twice in normal operation. A crash after the send
 * and before the commit resends the batch; consumers drop the repeats by event id.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final long LOCK_KEY = 0x7A11_0B0BL;

    private final AgroalDataSource dataSource;
    private final OutboxConfig config;
    private final Map<String, Object> kafkaConfig;
    private final String source;
    private final AtomicLong published = new AtomicLong();
    private volatile boolean running;
    private volatile Thread worker;
    private KafkaProducer<String, String> producer;

    @jakarta.inject.Inject
    public OutboxRelay(AgroalDataSource dataSource, OutboxConfig config,
                       @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
                       @ConfigProperty(name = "quarkus.application.name") String serviceName,
                       io.micrometer.core.instrument.MeterRegistry metrics) {
        this(dataSource, config, kafkaConfig, serviceName);
        io.micrometer.core.instrument.FunctionCounter.builder("tally.outbox.published", published, AtomicLong::get)
                .description("outbox rows published to Kafka").register(metrics);
    }

    /** A relay without metrics: a second replica in tests. */
    public OutboxRelay(AgroalDataSource dataSource, OutboxConfig config, Map<String, Object> kafkaConfig, String serviceName) {
        this.dataSource = dataSource;
        this.config = config;
        this.kafkaConfig = kafkaConfig;
        this.source = "/tally/" + serviceName;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.relayEnabled()) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        producer = new KafkaProducer<>(producerConfig(), new StringSerializer(), new StringSerializer());
        running = true;
        worker = new Thread(this::loop, "outbox-relay");
        worker.setDaemon(true);
        worker.start();
    }

    /** Finishes the batch in flight, then stops; unsent rows wait in the table for the next start. */
    public synchronized void stop() {
        running = false;
        Thread t = worker;
        if (t != null) {
            t.interrupt();
            try {
                t.join(config.sendTimeout().toMillis() + 5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        worker = null;
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
            producer = null;
        }
    }

    public boolean isRunning() {
        return running;
    }

    public long publishedCount() {
        return published.get();
    }

    private void loop() {
        long backoffMs = 0;
        long lastPurge = 0;
        while (running) {
            try {
                int sent = publishBatch();
                backoffMs = 0;
                if (System.currentTimeMillis() - lastPurge > 60_000) {
                    purgeSent();
                    lastPurge = System.currentTimeMillis();
                }
                if (sent == 0) {
                    Thread.sleep(config.pollInterval().toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                backoffMs = Math.min(5_000, Math.max(100, backoffMs * 2));
                LOG.warnf("outbox relay: %s; retrying in %d ms", e.toString(), backoffMs);
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    int publishBatch() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                int sent = publishLocked(c);
                c.commit();
                return sent;
            } catch (Exception e) {
                c.rollback();
                throw e;
            }
        }
    }

    private int publishLocked(Connection c) throws Exception {
        try (var lock = c.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
            lock.setLong(1, LOCK_KEY);
            try (ResultSet rs = lock.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return 0; // another replica is publishing
                }
            }
        }
        List<Long> seqs = new ArrayList<>();
        List<Future<?>> acks = new ArrayList<>();
        try (var select = c.prepareStatement("SELECT seq, id, topic, message_key, type, subject, payload::text, occurred_at "
                + "FROM outbox_event WHERE sent_at IS NULL ORDER BY seq LIMIT ?")) {
            select.setInt(1, config.batchSize());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    seqs.add(rs.getLong(1));
                    acks.add(producer.send(record(rs)));
                }
            }
        }
        if (seqs.isEmpty()) {
            return 0;
        }
        long deadline = System.nanoTime() + config.sendTimeout().toNanos();
        for (Future<?> ack : acks) {
            ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        try (var mark = c.prepareStatement("UPDATE outbox_event SET sent_at = clock_timestamp() WHERE seq = ANY(?)")) {
            mark.setArray(1, c.createArrayOf("bigint", seqs.toArray()));
            mark.executeUpdate();
        }
        published.addAndGet(seqs.size());
        return seqs.size();
    }

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

    private void purgeSent() throws SQLException {
        try (Connection c = dataSource.getConnection();
             var purge = c.prepareStatement("DELETE FROM outbox_event WHERE sent_at < clock_timestamp() - ?::interval")) {
            purge.setString(1, config.retention().toSeconds() + " seconds");
            purge.executeUpdate();
        }
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> props = new HashMap<>();
        kafkaConfig.forEach((k, v) -> {
            if (!k.startsWith("group.") && !k.startsWith("auto.offset")) {
                props.put(k, v);
            }
        });
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(10_000, config.sendTimeout().toMillis() / 2));
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) config.sendTimeout().toMillis());
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, source.substring(7) + "-outbox");
        return props;
    }
}
