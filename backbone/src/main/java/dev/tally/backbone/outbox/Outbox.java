package dev.tally.backbone.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Writes events into the outbox table on the caller's connection, so they commit or roll back with
 * the state change they announce. The {@link OutboxRelay} publishes them after the commit.
 */
@ApplicationScoped
public class Outbox {
    private static final String INSERT = "INSERT INTO outbox_event (id, topic, message_key, type, subject, payload, occurred_at) "
            + "VALUES ($1, $2, $3, $4, $5, $6::text::jsonb, $7)";

    private final ObjectMapper json;

    public Outbox(ObjectMapper json) {
        this.json = json;
    }

    public Uni<Void> add(SqlConnection tx, OutgoingEvent<?> event) {
        return tx.preparedQuery(INSERT).execute(row(event)).replaceWithVoid();
    }

    public Uni<Void> addAll(SqlConnection tx, List<? extends OutgoingEvent<?>> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery(INSERT).executeBatch(events.stream().map(this::row).toList()).replaceWithVoid();
    }

    private Tuple row(OutgoingEvent<?> event) {
        try {
            return Tuple.tuple(List.of(event.id(), event.type().topic(), event.key(), event.type().name(),
                    event.subject(), json.writeValueAsString(event.payload()),
                    event.occurredAt().atOffset(ZoneOffset.UTC)));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode " + event.type().name(), e);
        }
    }
}
