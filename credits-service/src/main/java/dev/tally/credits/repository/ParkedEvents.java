package dev.tally.credits.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.backbone.inbox.InboundEvent;
import dev.tally.contracts.EventType;
import dev.tally.contracts.Events;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Events that arrived ahead of their turn and wait for what comes before them (V11). Read and
 * written only under the locks of their accounts, which the caller holds.
 */
@ApplicationScoped
public class ParkedEvents {
    private final ObjectMapper json;

    public ParkedEvents(ObjectMapper json) {
        this.json = json;
    }

    /** A parked event: {@code revision} for a subscription event, null for a billing command waiting for its period. */
    public record Parked(long seq, String accountId, Long revision, InboundEvent event) {
    }

    /** An event to park. */
    public record ToPark(String accountId, Long revision, InboundEvent event) {
    }

    /** How many events wait, and since when the oldest (null when none). */
    public record Backlog(long count, Instant oldest) {
    }

    /** The accounts' parked events, by account and in the order they were parked. */
    public Uni<List<Parked>> of(SqlConnection tx, Collection<String> accountIds) {
        return tx.preparedQuery("SELECT seq, account_id, revision, event_id, event_type, source, event_time, payload::text "
                        + "FROM parked_event WHERE account_id = ANY($1) ORDER BY account_id, seq")
                .execute(Tuple.of(accountIds.toArray(String[]::new)))
                .map(rows -> {
                    List<Parked> out = new ArrayList<>();
                    rows.forEach(r -> out.add(parked(r)));
                    return out;
                });
    }

    public Uni<Void> park(SqlConnection tx, List<ToPark> events, Instant now) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("INSERT INTO parked_event (account_id, revision, event_id, event_type, source, event_time, payload, parked_at) "
                        + "SELECT p.account_id, p.revision, p.event_id, p.event_type, p.source, p.event_time, p.payload::jsonb, $8 "
                        + "FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::text[]) WITH ORDINALITY "
                        + "AS p(account_id, revision, event_id, event_type, source, event_time, payload, n) ORDER BY p.n "
                        + "ON CONFLICT (event_id) DO NOTHING")
                .execute(Tuple.tuple()
                        .addValue(events.stream().map(ToPark::accountId).toArray(String[]::new))
                        .addValue(events.stream().map(ToPark::revision).toArray(Long[]::new))
                        .addValue(events.stream().map(p -> p.event().id()).toArray(String[]::new))
                        .addValue(events.stream().map(p -> p.event().type().name()).toArray(String[]::new))
                        .addValue(events.stream().map(p -> p.event().source()).toArray(String[]::new))
                        .addValue(events.stream().map(p -> LedgerRepository.at(p.event().time())).toArray(OffsetDateTime[]::new))
                        .addValue(events.stream().map(p -> write(p.event().payload())).toArray(String[]::new))
                        .addValue(LedgerRepository.at(now)))
                .replaceWithVoid();
    }

    /** Forgets parked events that were applied or found to be repeats. */
    public Uni<Void> remove(SqlConnection tx, List<Long> seqs) {
        if (seqs.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("DELETE FROM parked_event WHERE seq = ANY($1)").execute(Tuple.of(seqs.toArray(Long[]::new))).replaceWithVoid();
    }

    public Uni<Backlog> backlog(SqlClient client) {
        return client.query("SELECT count(*), min(parked_at) FROM parked_event").execute().map(rows -> {
            Row r = rows.iterator().next();
            return new Backlog(r.getLong(0), LedgerRepository.instant(r.getOffsetDateTime(1)));
        });
    }

    private Parked parked(Row r) {
        EventType<?> type = Events.byName(r.getString("event_type"))
                .orElseThrow(() -> new IllegalStateException("parked event of unknown type " + r.getString("event_type")));
        Object payload;
        try {
            payload = json.readValue(r.getString("payload"), type.payloadType());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        InboundEvent event = new InboundEvent(r.getString("event_id"), type, r.getString("source"), r.getString("account_id"),
                LedgerRepository.instant(r.getOffsetDateTime("event_time")), payload);
        return new Parked(r.getLong("seq"), r.getString("account_id"), r.getLong("revision"), event);
    }

    private String write(Object payload) {
        try {
            return json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
