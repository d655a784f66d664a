package dev.tally.contracts;

/**
 * A kind of event: its CloudEvents {@code type}, the topic it travels on and the record its JSON
 * payload decodes into. Payloads only ever gain optional fields; a change that old consumers could
 * not read gets a new type name with a {@code .v2} suffix, published beside the old one.
 */
public record EventType<T>(String name, String topic, Class<T> payloadType) {
    public EventType {
        if (!name.matches("[a-z][a-z0-9-]*(\\.[a-z0-9-]+)+")) {
            throw new IllegalArgumentException("event type names are lowercase dotted: " + name);
        }
    }
}
