package dev.tally.backbone.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * One batch's sends, pipelined: hands the records to the producer in order until one is refused at
 * once (a send that throws, or whose future is already failed, as after {@code max.block.ms} without
 * metadata), then waits for the acks in order until the first that fails or does not come in time.
 */
final class InOrderSend {
    private InOrderSend() {
    }

    /** {@code acked}: how many records, from the first, the broker acked; {@code failure}: the first failure, or null. */
    record Result(int acked, Exception failure) {
    }

    static Result send(Producer<String, String> producer, List<ProducerRecord<String, String>> records, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception failure = null;
        List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
        for (ProducerRecord<String, String> record : records) {
            try {
                Future<RecordMetadata> ack = producer.send(record);
                acks.add(ack);
                if (ack.isDone()) {
                    ack.get(); // refused at once: hand over nothing after it
                }
            } catch (ExecutionException e) {
                failure = cause(e);
                break;
            } catch (RuntimeException e) {
                failure = e;
                break;
            }
        }
        int acked = 0;
        for (Future<RecordMetadata> ack : acks) {
            try {
                ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                acked++;
            } catch (ExecutionException e) {
                return new Result(acked, cause(e));
            } catch (TimeoutException e) {
                return new Result(acked, new TimeoutException("no ack within " + timeout));
            }
        }
        return new Result(acked, failure);
    }

    private static Exception cause(ExecutionException e) {
        return e.getCause() instanceof Exception cause ? cause : e;
    }
}
