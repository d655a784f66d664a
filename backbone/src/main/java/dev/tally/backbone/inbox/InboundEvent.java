package dev.tally.backbone.inbox;

import dev.tally.contracts.EventType;
import java.time.Instant;

/** A decoded CloudEvent: its attributes and its typed payload. */
public record InboundEvent(String id, EventType<?> type, String source, String subject, Instant time, Object payload) {

    /** The payload as the given type; fails if this event is of another type. */
    public <T> T payload(EventType<T> expected) {
        if (!expected.equals(type)) {
            throw new IllegalStateException("event " + id + " is " + type.name() + ", not " + expected.name());
        }
        return expected.payloadType().cast(payload);
    }

    public boolean is(EventType<?> other) {
        return type.equals(other);
    }
}
