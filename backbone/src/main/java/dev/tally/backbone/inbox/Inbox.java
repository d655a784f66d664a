package dev.tally.backbone.inbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.contracts.CloudEventHeaders;
import dev.tally.contracts.EventType;
import dev.tally.contracts.Events;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Applies each consumed event at most once: the handler's changes and the record of the event id
 * commit in one transaction, and a repeat finds the id and is skipped. The message is acked (its
 * offset may be committed) only after that commit. An unreadable message, or one its handler
 * rejects, is nacked and so goes to the channel's dead-letter topic without blocking its partition;
 * a transient failure (database down) is retried with backoff for up to 30 seconds first.
 */
@ApplicationScoped
public class Inbox {
    private static final Logger LOG = Logger.getLogger(Inbox.class);
    private static final String RECORD = "INSERT INTO inbox_event (consumer, event_id, event_type) VALUES ($1, $2, $3) "
            + "ON CONFLICT DO NOTHING";

    /** Shorter than the throttled commit strategy's 60 s limit for an unacknowledged record. */
    private static final Duration TRANSIENT_RETRY = Duration.ofSeconds(30);

    private final Pool pool;
    private final ObjectMapper json;

    public Inbox(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    /** Consumes {@code message} for {@code consumer}: applies it once, then acks; or nacks it to the dead-letter topic. */
    public Uni<Void> consume(String consumer, Message<String> message, EventHandler handler) {
        return Uni.createFrom().item(() -> decode(message))
                .flatMap(event -> event.isPresent()
                        ? applyOnce(consumer, event.get(), handler).replaceWithVoid()
                        : Uni.createFrom().voidItem())
                // a transient failure (database restarting) holds the partition and retries for a while rather
                // than dead-lettering a good message; only then, or for a poison message at once, the DLQ
                .onFailure(e -> !(e instanceof PoisonMessage)).retry()
                .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).expireIn(TRANSIENT_RETRY.toMillis())
                .flatMap(ignored -> Uni.createFrom().completionStage(message.ack()))
                .onFailure().recoverWithUni(e -> {
                    LOG.warnf("event to dead-letter topic for %s: %s", consumer, e.toString());
                    return Uni.createFrom().completionStage(message.nack(e));
                });
    }

    /** Applies a decoded event once; true when it was applied now, false when it had been already. */
    public Uni<Boolean> applyOnce(String consumer, InboundEvent event, EventHandler handler) {
        return pool.withTransaction(tx -> tx.preparedQuery(RECORD)
                .execute(Tuple.of(consumer, event.id(), event.type().name()))
                .flatMap(rows -> rows.rowCount() == 0
                        ? Uni.createFrom().item(false)
                        : handler.apply(tx, event).replaceWith(true)));
    }

    /** The event in this message, or empty for a type this build does not know (ignored, for forward compatibility). */
    Optional<InboundEvent> decode(Message<String> message) {
        Headers headers = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> m.getHeaders()).orElseThrow(() -> new PoisonMessage("not a Kafka record"));
        String id = header(headers, CloudEventHeaders.ID);
        String type = header(headers, CloudEventHeaders.TYPE);
        if (id == null || type == null) {
            throw new PoisonMessage("missing CloudEvents id or type header");
        }
        Optional<EventType<?>> known = Events.byName(type);
        if (known.isEmpty()) {
            LOG.debugf("ignoring event %s of unknown type %s", id, type);
            return Optional.empty();
        }
        try {
            Object payload = json.readValue(message.getPayload(), known.get().payloadType());
            String time = header(headers, CloudEventHeaders.TIME);
            return Optional.of(new InboundEvent(id, known.get(), header(headers, CloudEventHeaders.SOURCE),
                    header(headers, CloudEventHeaders.SUBJECT), time == null ? null : Instant.parse(time), payload));
        } catch (Exception e) {
            throw new PoisonMessage("unreadable " + type + " event " + id + ": " + e.getMessage(), e);
        }
    }

    private static String header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
