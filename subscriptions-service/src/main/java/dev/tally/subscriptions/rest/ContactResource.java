package dev.tally.subscriptions.rest;

import dev.tally.backbone.auth.Roles;
import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.time.ZoneOffset;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** The address billing emails (cancel confirmation, revert to free) go to. Setting it again replaces it. */
@Path("/accounts/{accountId}/billing-contact")
@RolesAllowed({Roles.ACCOUNT, Roles.SERVICE, Roles.ADMIN})
public class ContactResource {
    private final Pool pool;
    private final TallyClock clock;

    public ContactResource(Pool pool, TallyClock clock) {
        this.pool = pool;
        this.clock = clock;
    }

    public record Contact(@NotBlank @Email @Size(max = 320) String email) {
    }

    @PUT
    public Uni<Contact> set(@PathParam("accountId") String accountId, @Valid @NotNull Contact contact) {
        return pool.preparedQuery("INSERT INTO account_contact (account_id, email, updated_at) VALUES ($1, $2, $3) "
                        + "ON CONFLICT (account_id) DO UPDATE SET email = excluded.email, updated_at = excluded.updated_at")
                .execute(Tuple.of(accountId, contact.email(), clock.instant().atOffset(ZoneOffset.UTC))).replaceWith(contact);
    }

    @APIResponse(responseCode = "200", description = "the address billing emails go to",
                content = @Content(mediaType = "application/json", schema = @Schema(implementation = Contact.class)))
    @APIResponse(responseCode = "404", description = "no_billing_contact")
    @GET
    public Uni<Contact> get(@PathParam("accountId") String accountId) {
        return pool.preparedQuery("SELECT email FROM account_contact WHERE account_id = $1").execute(Tuple.of(accountId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw ProblemException.notFound("no_billing_contact", "Account " + accountId + " has no billing contact.");
                    }
                    return new Contact(rows.iterator().next().getString(0));
                });
    }
}
