package dev.tally.backbone.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.backbone.tx.Tx;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * Writes events into the outbox table in the caller's transaction ({@link Tx}: a Hibernate session's
 * or a pooled connection's), so they commit or roll back with the state change they announce. The
 * {@link OutboxRelay} publishes them after the commit.
 */
@ApplicationScoped
public class Outbox {
    private static final String INSERT = "INSERT INTO outbox_event (id, topic, message_key, type, subject, payload, occurred_at) "
            + "VALUES ($1, $2, $3, $4, $5, $6::text::jsonb, $7)";
    private static final String INSERT_ALL = "INSERT INTO outbox_event (id, topic, message_key, type, subject, payload, occurred_at) "
            + "SELECT e.id, e.topic, e.message_key, e.type, e.subject, e.payload::jsonb, e.occurred_at "
            + "FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[]) WITH ORDINALITY "
            + "AS e(id, topic, message_key, type, subject, payload, occurred_at, n) ORDER BY e.n";
    /** {@link #INSERT_ALL} for a session: Hibernate binds a timestamptz[] as the wrong type, so the instants travel as text. */
    private static final String INSERT_ALL_TEXT_TIMES = INSERT_ALL.replace("$7::timestamptz[]", "$7::text[]::timestamptz[]");

    private final ObjectMapper json;

    public Outbox(ObjectMapper json) {
        this.json = json;
    }

    /** Writes {@code event} in the transaction {@code tx}. */
    public Uni<Void> add(Tx tx, OutgoingEvent<?> event) {
        if (!tx.onSession()) {
            return tx.connection().preparedQuery(INSERT).execute(row(event)).replaceWithVoid();
        }
        return tx.update(INSERT, event.id(), event.type().topic(), event.key(), event.type().name(), event.subject(),
                encode(event), event.occurredAt().atOffset(ZoneOffset.UTC)).replaceWithVoid();
    }

    /** Writes the events in one statement, in order (the relay publishes them in that order). */
    public Uni<Void> addAll(Tx tx, List<? extends OutgoingEvent<?>> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        if (events.size() == 1) {
            return add(tx, events.get(0));
        }
        int n = events.size();
        UUID[] ids = new UUID[n];
        String[] topics = new String[n];
        String[] keys = new String[n];
        String[] types = new String[n];
        String[] subjects = new String[n];
        String[] payloads = new String[n];
        OffsetDateTime[] occurred = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            OutgoingEvent<?> e = events.get(i);
            ids[i] = e.id();
            topics[i] = e.type().topic();
            keys[i] = e.key();
            types[i] = e.type().name();
            subjects[i] = e.subject();
            payloads[i] = encode(e);
            occurred[i] = e.occurredAt().atOffset(ZoneOffset.UTC);
        }
        if (tx.onSession()) {
            String[] times = java.util.Arrays.stream(occurred).map(OffsetDateTime::toString).toArray(String[]::new);
            return tx.update(INSERT_ALL_TEXT_TIMES, ids, topics, keys, types, subjects, payloads, times).replaceWithVoid();
        }
        return tx.connection().preparedQuery(INSERT_ALL).execute(Tuple.tuple(List.of(ids, topics, keys, types, subjects, payloads, occurred)))
                .replaceWithVoid();
    }

    private Tuple row(OutgoingEvent<?> event) {
        return Tuple.tuple(List.of(event.id(), event.type().topic(), event.key(), event.type().name(),
                event.subject(), encode(event), event.occurredAt().atOffset(ZoneOffset.UTC)));
    }

    private String encode(OutgoingEvent<?> event) {
        try {
            return json.writeValueAsString(event.payload());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode " + event.type().name(), e);
        }
    }
}
