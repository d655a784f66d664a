package dev.tally.credits.rest;

import dev.tally.backbone.auth.Roles;
import dev.tally.credits.repository.LedgerQueries;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.util.List;

/** Verifies the ledger invariant: every bucket's balance equals the sum of its entries and none is negative. */
@Path("/admin/ledger/check")
@RolesAllowed(Roles.ADMIN)
public class LedgerCheckResource {
    private final LedgerQueries queries;

    public LedgerCheckResource(LedgerQueries queries) {
        this.queries = queries;
    }

    public record LedgerCheck(boolean holds, List<LedgerQueries.Mismatch> mismatches) {
    }

    @GET
    public Uni<LedgerCheck> check() {
        return queries.mismatches().map(m -> new LedgerCheck(m.isEmpty(), m));
    }
}
