package dev.tally.backbone.outbox;

import dev.tally.contracts.CloudEventHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A broker that fails chosen sends once, and producers for it that behave as Kafka's idempotent
 * producer does: a partition's records are appended in send order; a producer keeps what it holds
 * and delivers it when it can (on its next send, or while an ack is awaited); closing it with a zero
 * timeout fails all it still holds.
 */
final class FlakyBroker {
    /** Event ids, in the order of their first copy that reached the log. */
    final List<String> log = new ArrayList<>();
    /** Every copy that reached the log, in order. */
    final List<String> copies = new ArrayList<>();
    private final Set<String> refuseAtOnce = new HashSet<>();
    private final Set<String> stall = new HashSet<>();
    int producersCreated;

    /** The next send of this event is refused at once, as after max.block.ms without metadata. */
    synchronized void refuseAtOnce(String eventId) {
        refuseAtOnce.add(eventId);
    }

    /**
     * The next copy of this event gets no answer (its partition's leader is away) until the producer's
     * delivery timeout expires it; then, as Kafka's producer does after an expiry, the producer resets
     * the partition and delivers the records behind it.
     */
    synchronized void stall(String eventId) {
        stall.add(eventId);
    }

    synchronized Producer<String, String> producer(Map<String, Object> config) {
        producersCreated++;
        return new FlakyProducer(((Number) config.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)).longValue());
    }

    private synchronized void append(String id) {
        copies.add(id);
        if (!log.contains(id)) {
            log.add(id);
        }
    }

    private static String id(ProducerRecord<String, String> record) {
        return new String(record.headers().lastHeader(CloudEventHeaders.ID).value(), StandardCharsets.UTF_8);
    }

    private final class FlakyProducer extends MockProducer<String, String> {
        private final Map<String, Deque<Pending>> held = new LinkedHashMap<>();
        private final long deliveryTimeoutNanos;
        private boolean closed;

        FlakyProducer(long deliveryTimeoutMs) {
            super(false, null, new StringSerializer(), new StringSerializer());
            this.deliveryTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(deliveryTimeoutMs);
        }

        private record Pending(String id, boolean stalled, long sentAt, CompletableFuture<RecordMetadata> ack) {
        }

        @Override
        public Future<RecordMetadata> send(ProducerRecord<String, String> record) {
            return send(record, null);
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<String, String> record, Callback callback) {
            if (closed) {
                throw new IllegalStateException("send after close");
            }
            deliverHeld();
            String id = id(record);
            boolean refused;
            boolean stalled;
            synchronized (FlakyBroker.this) {
                refused = refuseAtOnce.remove(id);
                stalled = !refused && stall.remove(id);
            }
            if (refused) {
                return CompletableFuture.failedFuture(new TimeoutException("Topic not present in metadata after 10000 ms."));
            }
            Pending pending = new Pending(id, stalled, System.nanoTime(), new CompletableFuture<>());
            held.computeIfAbsent(record.topic() + "/" + record.key(), p -> new ArrayDeque<>()).add(pending);
            return new Future<>() {
                public boolean cancel(boolean b) {
                    return false;
                }

                public boolean isCancelled() {
                    return false;
                }

                public boolean isDone() {
                    return pending.ack().isDone();
                }

                public RecordMetadata get() throws InterruptedException, ExecutionException {
                    try {
                        return await(pending, System.nanoTime() + TimeUnit.MINUTES.toNanos(1));
                    } catch (java.util.concurrent.TimeoutException e) {
                        throw new ExecutionException(e);
                    }
                }

                public RecordMetadata get(long t, TimeUnit u) throws InterruptedException, ExecutionException,
                        java.util.concurrent.TimeoutException {
                    return await(pending, System.nanoTime() + u.toNanos(t));
                }
            };
        }

        private RecordMetadata await(Pending pending, long deadline) throws InterruptedException, ExecutionException,
                java.util.concurrent.TimeoutException {
            while (true) {
                deliverHeld();
                if (pending.ack().isDone()) {
                    return pending.ack().get();
                }
                if (System.nanoTime() >= deadline) {
                    throw new java.util.concurrent.TimeoutException();
                }
                Thread.sleep(5);
            }
        }

        private synchronized void deliverHeld() {
            long now = System.nanoTime();
            for (Deque<Pending> partition : held.values()) {
                while (!partition.isEmpty()) {
                    Pending p = partition.peek();
                    if (p.stalled() && now - p.sentAt() < deliveryTimeoutNanos) {
                        break; // nothing behind it on this partition goes out before it
                    }
                    partition.poll();
                    if (p.stalled()) {
                        p.ack().completeExceptionally(new TimeoutException("Expiring 1 record(s): delivery timeout"));
                    } else {
                        append(p.id());
                        p.ack().complete(new RecordMetadata(new TopicPartition("t", 0), 0, 0, 0, 0, 0));
                    }
                }
            }
        }

        @Override
        public void close() {
            close(Duration.ofSeconds(5));
        }

        @Override
        public synchronized void close(Duration timeout) {
            if (!timeout.isZero()) {
                deliverHeld();
            }
            held.values().forEach(partition -> partition.forEach(p ->
                    p.ack().completeExceptionally(new KafkaException("Producer is closed forcefully."))));
            held.clear();
            closed = true;
        }
    }
}
