package dev.tally.credits.rest;

import dev.tally.backbone.auth.Roles;
import dev.tally.credits.service.CreditLots;
import dev.tally.credits.service.CreditLots.LotsView;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

/**
 * What an account's balance is made of, for a "Plan & Credits" page and support: each lot (bucket)
 * that still holds credits, with its expiry, and the open holds. Read-only; a lot past its expiry is
 * left out (its EXPIRE entry may not be written yet, but it never counts), like the balance.
 */
@Path("/accounts/{accountId}/credits/lots")
@RolesAllowed({Roles.ACCOUNT, Roles.SERVICE, Roles.ADMIN})
public class LotsResource {
    private final CreditLots lots;

    public LotsResource(CreditLots lots) {
        this.lots = lots;
    }

    @GET
    public Uni<LotsView> lots(@PathParam("accountId") String accountId) {
        return lots.lots(accountId);
    }
}
