package dev.tally.backbone.outbox;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.kafka.clients.producer.Producer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Publishes committed outbox rows to Kafka in commit order and marks them sent, on a thread of its
 * own (blocking JDBC and producer calls never touch the event loop). Each batch runs in one
 * transaction holding a PostgreSQL advisory lock, so of several replicas only one publishes at a
 * time: per-key order holds and no row goes out twice in normal operation.
 *
 * <p>Per-key order survives any broker failure. A batch hands its rows to the producer in seq order
 * and stops at the first row the producer refuses at once (a send that throws, or whose future is
 * already failed, as after {@code max.block.ms} without metadata): nothing after it is handed over.
 * It then waits for the acks in order and marks as sent only the longest prefix whose rows were all
 * acked. On any failure, sync or async, or when the acks do not come within {@code sendTimeout},
 * the producer is discarded (closed with a zero timeout, so whatever it still holds fails instead
 * of going out later) and a new one is built for the next batch, which resumes at the first unsent
 * row. Within one producer the idempotent protocol appends a partition's records in send order, a
 * later one only after every earlier one; the producer's own delivery timeout is longer than the
 * batch's {@code sendTimeout}, so it never expires a record and carries on with the ones behind it:
 * the relay discards it first. So the first copy of every row in the log comes after every earlier
 * row of its key.
 *
 * <p>Residual cases: a row acked (or appended without an ack reaching us) after an earlier one
 * failed is sent again, after that earlier one; a crash after the send and before the commit
 * resends the batch. Both are repeats in order, which consumers drop by event id.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final long LOCK_KEY = 0x7A11_0B0BL;

    private final AgroalDataSource dataSource;
    private final OutboxConfig config;
    private final RelayProducers producers;
    private final AtomicLong published = new AtomicLong();
    private volatile boolean running;
    private volatile Thread worker;
    private volatile Instant lastAck;
    private volatile String lastFailure;
    private Producer<String, String> producer;

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
        this(dataSource, config, kafkaConfig, serviceName, (Function<Map<String, Object>, Producer<String, String>>) null);
    }

    /** A relay whose producers come from {@code factory} (given the producer config): tests substitute failing ones. */
    OutboxRelay(AgroalDataSource dataSource, OutboxConfig config, Map<String, Object> kafkaConfig, String serviceName,
                Function<Map<String, Object>, Producer<String, String>> factory) {
        this.dataSource = dataSource;
        this.config = config;
        this.producers = new RelayProducers(kafkaConfig, serviceName, config, factory);
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

    /** When the broker last acked a row this relay sent (null before the first). */
    public Instant lastAck() {
        return lastAck;
    }

    /** The last failure to publish, or null when the last batch went out. */
    public String lastFailure() {
        return lastFailure;
    }

    private void loop() {
        long backoffMs = 0;
        long lastPurge = 0;
        boolean idle = true; // until a poll finds rows
        while (running) {
            try {
                int sent = publishBatch(idle);
                idle = sent == 0;
                backoffMs = 0;
                lastFailure = null;
                if (System.currentTimeMillis() - lastPurge > 60_000) {
                    OutboxRows.purgeSent(dataSource, config.retention());
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
                lastFailure = e.toString();
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

    int publishBatch() throws Exception { return publishBatch(false); }

    /**
     * Publishes one batch and marks what the broker acked; throws after the commit when part of it
     * failed. {@code idle} (the last poll found nothing): first one statement, outside a transaction,
     * asks whether any row is unsent; only then the batch's transaction and lock (order and marking
     * unchanged). A row committed after that look waits for the next poll, as after the batch's SELECT.
     */
    int publishBatch(boolean idle) throws Exception {
        InOrderSend.Result batch;
        try (Connection c = dataSource.getConnection()) {
            if (idle && !OutboxRows.anyUnsent(c)) {
                return 0;
            }
            c.setAutoCommit(false);
            try {
                batch = publishLocked(c);
                c.commit();
            } catch (Exception e) {
                c.rollback();
                throw e;
            }
        }
        published.addAndGet(batch.acked());
        if (batch.failure() != null) {
            throw batch.failure();
        }
        return batch.acked();
    }

    private InOrderSend.Result publishLocked(Connection c) throws Exception {
        try (var lock = c.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
            lock.setLong(1, LOCK_KEY);
            try (ResultSet rs = lock.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return new InOrderSend.Result(0, null); // another replica is publishing
                }
            }
        }
        RelayProducers.Unsent unsent = producers.unsent(c, config.batchSize());
        List<Long> seqs = unsent.seqs();
        if (seqs.isEmpty()) {
            return new InOrderSend.Result(0, null);
        }
        InOrderSend.Result result = null;
        try {
            result = InOrderSend.send(producer(), unsent.records(), config.sendTimeout());
        } finally {
            if (result == null || result.acked() < seqs.size()) {
                discardProducer(); // also when interrupted: what it still holds must not go out later
            }
        }
        int acked = result.acked();
        if (acked > 0) {
            lastAck = Instant.now();
            OutboxRows.markSent(c, seqs.subList(0, acked));
        }
        return new InOrderSend.Result(acked, result.failure());
    }

    private Producer<String, String> producer() {
        if (producer == null) {
            producer = producers.create();
        }
        return producer;
    }

    private void discardProducer() {
        if (producer != null) {
            try {
                producer.close(java.time.Duration.ZERO);
            } catch (RuntimeException e) {
                LOG.debugf("closing a failed producer: %s", e);
            }
            producer = null;
        }
    }
}
