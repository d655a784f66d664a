package dev.tally.backbone.outbox;

import dev.tally.contracts.EventType;
import java.time.Instant;
import java.util.UUID;

/**
 * An event to publish once its transaction commits. {@code key} is the Kafka key (the account id,
 * or the plan code on the compacted plans topic); {@code subject} is the CloudEvents subject.
 */
public record OutgoingEvent<T>(UUID id, EventType<T> type, String key, String subject, T payload, Instant occurredAt) {

    public static <T> OutgoingEvent<T> of(EventType<T> type, String key, String subject, T payload, Instant occurredAt) {
        return new OutgoingEvent<>(UUID.randomUUID(), type, key, subject, payload, occurredAt);
    }

    /** For events about an account: key and subject are both the account id. */
    public static <T> OutgoingEvent<T> forAccount(EventType<T> type, String accountId, T payload, Instant occurredAt) {
        return of(type, accountId, accountId, payload, occurredAt);
    }
}
