package dev.tally.backbone.bench;

import dev.tally.backbone.outbox.Outbox;
import dev.tally.backbone.outbox.OutgoingEvent;
import dev.tally.contracts.Events;
import dev.tally.contracts.billing.PeriodEnded;
import dev.tally.testsupport.TallyInfraResource;
import dev.tally.testsupport.TestKafka;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Benchmark, not a timed test: runs only with {@code -Dtally.bench=outbox}. At a steady rate
 * (default 500 events/s for 20 s) it measures, through the real broker, (1) the baseline: a bare
 * Kafka producer to a bare consumer, and (2) Tally's path: commit of a transaction with an outbox
 * row, relay, broker, the idempotent consumer's transaction committed. Prints p50/p99/p99.9/max of
 * both and their ratio. It fails only if an event is lost, never on speed.
 */
@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false)
@EnabledIfSystemProperty(named = "tally.bench", matches = "outbox")
class OutboxLatencyBenchmark {
    private static final int RATE = Integer.getInteger("tally.bench.rate", 500);
    private static final int SECONDS = Integer.getInteger("tally.bench.seconds", 10);
    private static final int ROUNDS = Integer.getInteger("tally.bench.rounds", 3);

    @Inject
    Pool pool;

    @Inject
    Outbox outbox;

    @Test
    void commitToAppliedLatencyAtASteadyRate() throws Exception {
        int total = RATE * SECONDS;
        outboxRound(RATE * 3); // warm-up: pool connections, producer metadata, JIT; not measured
        double[][] raws = new double[ROUNDS][];
        double[][] tallies = new double[ROUNDS][];
        for (int r = 0; r < ROUNDS; r++) {
            raws[r] = bareKafka(total);
            tallies[r] = outboxRound(total);
            System.out.printf("round %d: bare p50 %.2f p99 %.2f ms | outbox p50 %.2f p99 %.2f ms%n",
                    r + 1, raws[r][0], raws[r][1], tallies[r][0], tallies[r][1]);
        }
        double[] raw = medians(raws);
        double[] tally = medians(tallies);
        System.out.printf("%nOUTBOX LATENCY BENCHMARK: %d rounds of %d events at %d/s (medians of the rounds)%n", ROUNDS, total, RATE);
        System.out.printf("  baseline bare Kafka produce->consume  p50 %7.2f ms  p99 %7.2f ms  p99.9 %7.2f ms  max %7.2f ms%n",
                raw[0], raw[1], raw[2], raw[3]);
        System.out.printf("  outbox commit->consumer applied       p50 %7.2f ms  p99 %7.2f ms  p99.9 %7.2f ms  max %7.2f ms%n",
                tally[0], tally[1], tally[2], tally[3]);
        System.out.printf("  ratio outbox/baseline                 p50 %7.2fx    p99 %7.2fx%n%n",
                tally[0] / raw[0], tally[1] / raw[1]);
    }

    private static double[] medians(double[][] rounds) {
        double[] out = new double[rounds[0].length];
        for (int k = 0; k < out.length; k++) {
            final int col = k;
            double[] column = java.util.Arrays.stream(rounds).mapToDouble(r -> r[col]).sorted().toArray();
            out[k] = column[column.length / 2];
        }
        return out;
    }

    private double[] outboxRound(int total) throws Exception {
        LatencyProbe.reset();
        AtomicInteger failures = new AtomicInteger();
        paced(total, i -> {
            var event = OutgoingEvent.forAccount(Events.PERIOD_ENDED, "bench-" + (i % 64),
                    new PeriodEnded(UUID.randomUUID(), "bench-" + (i % 64), Instant.EPOCH, Instant.now()), Instant.now());
            pool.withTransaction(tx -> outbox.add(dev.tally.backbone.tx.Tx.of(tx), event))
                    .subscribe().with(ok -> LatencyProbe.committed(event.id().toString(), System.nanoTime()),
                            e -> failures.incrementAndGet());
        });
        long deadline = System.currentTimeMillis() + 60_000;
        while (LatencyProbe.count() < total - failures.get() && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        Assertions.assertEquals(0, failures.get(), "commits that failed");
        Assertions.assertEquals(total, LatencyProbe.count(), "every committed event applied once");
        return LatencyProbe.percentilesMillis();
    }

    private double[] bareKafka(int total) throws Exception {
        String topic = "bench.raw." + UUID.randomUUID();
        Map<String, Long> sent = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        String servers = TestKafka.get().bootstrapServers();
        TestKafka.get().createTopics(3, java.util.Set.of(topic), java.util.Set.of());
        var consumerThread = new Thread(() -> {
            try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                    ConsumerConfig.GROUP_ID_CONFIG, "bench", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                    new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of(topic));
                long deadline = System.currentTimeMillis() + (SECONDS + 60) * 1000L;
                while (latencies.size() < total && System.currentTimeMillis() < deadline) {
                    consumer.poll(Duration.ofMillis(50)).forEach(r -> {
                        Long start = sent.remove(r.value());
                        if (start != null) {
                            latencies.add(System.nanoTime() - start);
                        }
                    });
                    consumer.commitAsync();
                }
            }
        });
        consumerThread.start();
        Thread.sleep(2_000); // let the consumer join before the clock starts
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 1), new StringSerializer(), new StringSerializer())) {
            paced(total, i -> {
                String id = UUID.randomUUID().toString();
                sent.put(id, System.nanoTime());
                producer.send(new ProducerRecord<>(topic, "bench-" + (i % 64), id));
            });
            consumerThread.join();
        }
        Assertions.assertEquals(total, latencies.size(), "every bare message consumed");
        return LatencyProbe.percentiles(latencies.stream().mapToLong(Long::longValue).toArray());
    }

    /** Calls {@code action} {@code total} times at {@link #RATE} per second, open loop. */
    private static void paced(int total, java.util.function.IntConsumer action) throws InterruptedException {
        var scheduler = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger next = new AtomicInteger();
        long periodNanos = 1_000_000_000L / RATE;
        var task = scheduler.scheduleAtFixedRate(() -> {
            int i = next.getAndIncrement();
            if (i < total) {
                action.accept(i);
            }
        }, 0, periodNanos, TimeUnit.NANOSECONDS);
        while (next.get() < total) {
            Thread.sleep(50);
        }
        task.cancel(false);
        scheduler.shutdown();
    }
}
