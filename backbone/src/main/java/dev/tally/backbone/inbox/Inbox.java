package dev.tally.backbone.inbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.contracts.EventType;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import dev.tally.backbone.tx.Transactions;
import dev.tally.backbone.tx.Tx;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Applies each consumed event at most once: the handler's changes and the record of the event id
 * commit in one transaction, and a repeat finds the id and is skipped. The message is acked (its
 * offset may be committed) only after that commit. An unreadable message, or one its handler
 * rejects, is nacked and so goes to the channel's dead-letter topic without blocking its partition;
 * a transient failure (database down) is retried with backoff for up to 30 seconds first.
 *
 * <p>Channels consumed in batches ({@code batch=true}) apply the whole poll in one transaction; if
 * that fails, every record is applied again in a transaction of its own (so only a poison record
 * goes to the dead-letter topic), and the batch is acked once all are done.
 *
 * <p>Each method names the {@link Tx.Kind} of transaction it opens: {@code SESSION} for a handler
 * that changes Panache entities (it runs in the Hibernate session's transaction, and so does the
 * inbox record), {@code CONNECTION} for a native handler on a pooled connection.
 */
@ApplicationScoped
public class Inbox {
    private static final Logger LOG = Logger.getLogger(Inbox.class);
    private static final String RECORD_ALL = "INSERT INTO inbox_event (consumer, event_id, event_type) "
            + "SELECT $1, * FROM unnest($2::text[], $3::text[]) ON CONFLICT DO NOTHING RETURNING event_id";

    /** Shorter than the throttled commit strategy's 60 s limit for an unacknowledged record. */
    private static final Duration TRANSIENT_RETRY = Duration.ofSeconds(30);

    private final Transactions transactions;
    private final EventDecoder decoder;

    public Inbox(Transactions transactions, ObjectMapper json) {
        this.transactions = transactions;
        this.decoder = new EventDecoder(json);
    }

    /** Consumes {@code message} for {@code consumer}: applies it once in a {@code kind} transaction, then acks; or nacks it to the dead-letter topic. */
    public Uni<Void> consume(String consumer, Tx.Kind kind, Message<String> message, TxEventHandler handler) {
        return consume(consumer, kind, message, type -> true, handler);
    }

    /**
     * As {@link #consume(String, Tx.Kind, Message, TxEventHandler)}, for a consumer that {@code handles} only
     * some types: an event of another type is acked unread, without touching the database.
     */
    public Uni<Void> consume(String consumer, Tx.Kind kind, Message<String> message, Predicate<EventType<?>> handles,
                             TxEventHandler handler) {
        return Uni.createFrom().item(() -> decoder.decode(message, handles))
                .flatMap(event -> event.isPresent()
                        ? applyOnce(consumer, kind, event.get(), handler).replaceWithVoid()
                        : Uni.createFrom().voidItem())
                .onFailure(e -> !(e instanceof PoisonMessage)).retry()
                .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).expireIn(TRANSIENT_RETRY.toMillis())
                .flatMap(ignored -> Uni.createFrom().completionStage(message.ack()))
                .onFailure().recoverWithUni(e -> deadLetter(consumer, message, e));
    }

    /**
     * Consumes a polled batch for {@code consumer}: the events of the types it {@code handles} that
     * it has not applied yet go to {@code handler} in one transaction with their records; others are
     * skipped unread, without touching the database. Then the batch is acked.
     */
    public Uni<Void> consumeBatch(String consumer, Tx.Kind kind, Message<List<String>> batch, Predicate<EventType<?>> handles,
                                  TxBatchHandler handler) {
        List<Message<String>> messages = new ArrayList<>();
        List<InboundEvent> events = new ArrayList<>();
        List<Uni<Void>> poisoned = new ArrayList<>();
        for (Message<String> message : records(batch)) {
            try {
                Optional<InboundEvent> event = decoder.decode(message, handles);
                if (event.isPresent()) {
                    messages.add(message);
                    events.add(event.get());
                }
            } catch (PoisonMessage e) {
                poisoned.add(deadLetter(consumer, message, e));
            }
        }
        Uni<Void> applied = events.isEmpty() ? Uni.createFrom().voidItem() : applyAllOnce(consumer, kind, events, handler)
                .replaceWithVoid().onFailure().recoverWithUni(e -> {
                    LOG.infof("batch of %d for %s failed (%s); applying its records one by one", events.size(), consumer, e);
                    return oneByOne(consumer, kind, messages, events, handler);
                });
        return applied.call(() -> Multi.createFrom().iterable(poisoned).onItem().transformToUniAndConcatenate(u -> u).collect().last())
                .flatMap(x -> Uni.createFrom().completionStage(batch.ack()));
    }

    /** Applies a decoded event once; true when it was applied now, false when it had been already. */
    public Uni<Boolean> applyOnce(String consumer, Tx.Kind kind, InboundEvent event, TxEventHandler handler) {
        return applyAllOnce(consumer, kind, List.of(event), (tx, events) -> handler.apply(tx, events.get(0))).map(applied -> applied == 1);
    }

    /** Applies those of {@code events} not applied before (a repeated id counts once) in one transaction; returns how many. */
    public Uni<Integer> applyAllOnce(String consumer, Tx.Kind kind, List<InboundEvent> events, TxBatchHandler handler) {
        String[] ids = events.stream().map(InboundEvent::id).toArray(String[]::new);
        String[] types = events.stream().map(e -> e.type().name()).toArray(String[]::new);
        return transactions.open(kind, tx -> tx.rows(RECORD_ALL, consumer, ids, types).flatMap(rows -> {
            Set<String> fresh = new HashSet<>();
            rows.forEach(r -> fresh.add((String) r[0]));
            List<InboundEvent> toApply = events.stream().filter(e -> fresh.remove(e.id())).toList();
            return toApply.isEmpty() ? Uni.createFrom().item(0) : handler.applyAll(tx, toApply).replaceWith(toApply.size());
        }));
    }

    /**
     * The batch again, one transaction per record, in order: a poison record goes alone to the
     * dead-letter topic. Transient failures are retried until 30 seconds after the fallback began
     * (for the whole batch, so it is acked well within the commit strategy's limit), then dead-lettered.
     */
    private Uni<Void> oneByOne(String consumer, Tx.Kind kind, List<Message<String>> messages, List<InboundEvent> events,
                               TxBatchHandler handler) {
        List<Integer> indexes = java.util.stream.IntStream.range(0, events.size()).boxed().toList();
        long deadline = System.currentTimeMillis() + TRANSIENT_RETRY.toMillis();
        return Multi.createFrom().iterable(indexes).onItem().transformToUniAndConcatenate(i -> applyAllOnce(consumer, kind, List.of(events.get(i)), handler)
                        .onFailure(e -> !(e instanceof PoisonMessage) && System.currentTimeMillis() < deadline).retry()
                        .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).expireAt(deadline)
                        .replaceWithVoid()
                        .onFailure().recoverWithUni(e -> deadLetter(consumer, messages.get(i), e)))
                .collect().last().replaceWithVoid();
    }

    private Uni<Void> deadLetter(String consumer, Message<?> message, Throwable e) {
        LOG.warnf("event to dead-letter topic for %s: %s", consumer, e.toString());
        return Uni.createFrom().completionStage(message.nack(e));
    }

    @SuppressWarnings("unchecked")
    private static List<Message<String>> records(Message<List<String>> batch) {
        if (batch instanceof KafkaRecordBatch<?, ?> kafka) {
            return (List<Message<String>>) (List<?>) kafka.getRecords();
        }
        throw new IllegalArgumentException("not a Kafka record batch: consume the channel with batch=true");
    }
}
