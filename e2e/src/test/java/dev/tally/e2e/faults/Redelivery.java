package dev.tally.e2e.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Publishes copies of one account's already-delivered events again, shuffled and each twice: same key, value and CloudEvents headers. */
final class Redelivery {
    private Redelivery() {
    }

    /** Every record of {@code account} on {@code topic}, read back from the beginning (no consumer group). */
    static List<ConsumerRecord<byte[], byte[]>> read(FaultStack stack, String topic, String account) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.broker.bootstrap());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp)) && System.nanoTime() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.key() != null && account.equals(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8))) {
                        out.add(r);
                    }
                }
            }
        }
        return out;
    }

    /**
     * Sends each record twice, in a shuffled order, to the partition it came from; returns how many the broker
     * acknowledged. All are handed over before the first ack is awaited: the idempotent producer (Kafka's
     * default) keeps each partition's records in send order, as one send at a time did, only faster.
     */
    static int publishShuffledTwice(FaultStack stack, List<ConsumerRecord<byte[], byte[]>> records, long seed) throws Exception {
        List<ConsumerRecord<byte[], byte[]>> copies = new ArrayList<>(records);
        copies.addAll(records);
        Collections.shuffle(copies, new Random(seed));
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.broker.bootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        int acked = 0;
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        try (var producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            for (var r : copies) {
                sends.add(producer.send(new ProducerRecord<>(r.topic(), r.partition(), r.key(), r.value(), r.headers())));
            }
            for (Future<RecordMetadata> send : sends) {
                send.get(30, TimeUnit.SECONDS);
                acked++;
            }
        }
        return acked;
    }

    static Map<String, Integer> types(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, Integer> out = new HashMap<>();
        for (var r : records) {
            var h = r.headers().lastHeader("ce_type");
            out.merge(h == null ? "?" : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8), 1, Integer::sum);
        }
        return out;
    }
}
