package dev.tally.backbone.inbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.contracts.CloudEventHeaders;
import dev.tally.contracts.EventType;
import dev.tally.contracts.Events;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/** Reads a Kafka record's CloudEvents headers and JSON payload into an {@link InboundEvent}. */
final class EventDecoder {
    private static final Logger LOG = Logger.getLogger(EventDecoder.class);

    private final ObjectMapper json;

    EventDecoder(ObjectMapper json) {
        this.json = json;
    }

    /**
     * The event in this message; empty for a type this build does not know (ignored, for forward
     * compatibility) or one the consumer does not {@code want} (its payload is not read).
     */
    Optional<InboundEvent> decode(Message<String> message, Predicate<EventType<?>> want) {
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
        if (!want.test(known.get())) {
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
