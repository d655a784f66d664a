package dev.tally.backbone;

import dev.tally.backbone.auth.Roles;
import dev.tally.backbone.idempotency.IdempotentRequests;
import dev.tally.backbone.idempotency.IdempotentRequests.Answer;
import dev.tally.backbone.outbox.Outbox;
import dev.tally.backbone.outbox.OutgoingEvent;
import dev.tally.backbone.tx.Tx;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.contracts.Events;
import dev.tally.contracts.billing.PeriodEnded;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A test-only resource that uses every backbone piece the way a service does. */
@Path("/accounts/{accountId}/notes")
@RolesAllowed({Roles.ACCOUNT, Roles.SERVICE, Roles.ADMIN})
public class NotesResource {
    private final Pool pool;
    private final Outbox outbox;
    private final IdempotentRequests idempotency;

    public NotesResource(Pool pool, Outbox outbox, IdempotentRequests idempotency) {
        this.pool = pool;
        this.outbox = outbox;
        this.idempotency = idempotency;
    }

    public record NewNote(@NotBlank String text, @NotNull @Positive Integer amount, @Max(5000) int delayMs, Boolean pinned,
                          Colour colour, Instant remindAt) {
    }

    public enum Colour { RED, GREEN }

    public record Note(long id, String text, int amount) {
    }

    @POST
    public Uni<Response> add(@PathParam("accountId") String accountId, @HeaderParam("Idempotency-Key") String key,
                             @Valid @NotNull NewNote note) {
        return idempotency.run(Tx.Kind.CONNECTION, accountId, key, List.of("POST notes", note), tx ->
                        tx.connection().preparedQuery("SELECT pg_sleep($1 / 1000.0)").execute(Tuple.of(note.delayMs()))
                                .flatMap(x -> {
                                    if (note.text().equals("refuse")) {
                                        throw new ProblemException(402, "refused_note", "This note is refused.");
                                    }
                                    return tx.connection().preparedQuery("INSERT INTO note (account_id, text, amount) VALUES ($1, $2, $3) RETURNING id")
                                            .execute(Tuple.of(accountId, note.text(), note.amount()));
                                })
                                .flatMap(rows -> {
                                    long id = rows.iterator().next().getLong(0);
                                    var event = OutgoingEvent.forAccount(Events.PERIOD_ENDED, accountId,
                                            new PeriodEnded(UUID.randomUUID(), accountId, Instant.EPOCH, Instant.now()), Instant.now());
                                    return outbox.add(tx, event).replaceWith(Answer.created(new Note(id, note.text(), note.amount())));
                                }))
                .map(stored -> stored.toResponse());
    }

    @GET
    public Uni<List<Note>> list(@PathParam("accountId") String accountId) {
        return pool.preparedQuery("SELECT id, text, amount FROM note WHERE account_id = $1 ORDER BY id")
                .execute(Tuple.of(accountId))
                .map(rows -> {
                    List<Note> notes = new java.util.ArrayList<>();
                    rows.forEach(r -> notes.add(new Note(r.getLong(0), r.getString(1), r.getInteger(2))));
                    return notes;
                });
    }
}
