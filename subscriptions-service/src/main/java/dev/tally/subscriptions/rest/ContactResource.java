package dev.tally.subscriptions.rest;

import dev.tally.backbone.auth.Roles;
import dev.tally.subscriptions.contact.BillingContacts;
import io.smallrye.mutiny.Uni;
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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** The address billing emails (cancel confirmation, revert to free) go to. Setting it again replaces it. */
@Path("/accounts/{accountId}/billing-contact")
@RolesAllowed({Roles.ACCOUNT, Roles.SERVICE, Roles.ADMIN})
public class ContactResource {
    private final BillingContacts contacts;

    public ContactResource(BillingContacts contacts) {
        this.contacts = contacts;
    }

    public record Contact(@NotBlank @Email @Size(max = 320) String email) {
    }

    @PUT
    public Uni<Contact> set(@PathParam("accountId") String accountId, @Valid @NotNull Contact contact) {
        return contacts.set(accountId, contact.email()).replaceWith(contact);
    }

    @APIResponse(responseCode = "200", description = "the address billing emails go to",
                content = @Content(mediaType = "application/json", schema = @Schema(implementation = Contact.class)))
    @APIResponse(responseCode = "404", description = "no_billing_contact")
    @GET
    public Uni<Contact> get(@PathParam("accountId") String accountId) {
        return contacts.email(accountId).map(Contact::new);
    }
}
