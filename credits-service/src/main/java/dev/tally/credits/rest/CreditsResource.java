package dev.tally.credits.rest;

import dev.tally.backbone.auth.Roles;
import dev.tally.backbone.idempotency.IdempotentRequests;
import dev.tally.backbone.idempotency.IdempotentRequests.Answer;
import dev.tally.credits.repository.LedgerQueries;
import dev.tally.credits.service.CreditLedger;
import dev.tally.credits.service.DebitGroups;
import dev.tally.credits.service.Reversals;
import dev.tally.backbone.idempotency.StoredResponse;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.backbone.tx.Tx;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** An account's credits: balance, debits, ledger history. */
@Path("/accounts/{accountId}/credits")
@RolesAllowed({Roles.ACCOUNT, Roles.SERVICE, Roles.ADMIN})
public class CreditsResource {
    private final CreditLedger ledger;
    private final LedgerQueries queries;
    private final IdempotentRequests idempotency;
    private final dev.tally.credits.service.Reversals reversals;
    private final DebitGroups debits;

    public CreditsResource(CreditLedger ledger, LedgerQueries queries, IdempotentRequests idempotency,
                           dev.tally.credits.service.Reversals reversals, DebitGroups debits) {
        this.debits = debits;
        this.ledger = ledger;
        this.queries = queries;
        this.idempotency = idempotency;
        this.reversals = reversals;
    }

    public record DebitRequest(@NotNull @Positive @Max(1_000_000_000) Long amount, @NotBlank @Size(max = 200) String reason) {
    }

    @GET
    public Uni<CreditLedger.Balance> balance(@PathParam("accountId") String accountId) {
        return ledger.balance(accountId);
    }

    /** Spends credits in bucket order; 402 insufficient_credits on a BLOCK plan when they do not suffice. */
    @APIResponse(responseCode = "201", description = "what was taken from which bucket, the overage and the balance left",
                content = @Content(mediaType = "application/json", schema = @Schema(implementation = CreditLedger.DebitResult.class)))
    @APIResponse(responseCode = "402", description = "insufficient_credits: a BLOCK plan without enough credits")
    @APIResponse(responseCode = "403", description = "account_mismatch or forbidden")
    @POST
    @Path("/debits")
    public Uni<Response> debit(@PathParam("accountId") String accountId, @HeaderParam("Idempotency-Key") String key,
                               @Valid @NotNull DebitRequest request) {
        ProblemException badKey = IdempotentRequests.keyProblem(key);
        if (badKey != null) {
            throw badKey;
        }
        var claim = key == null ? null : idempotency.claim(accountId, key, List.of("debit", request));
        return debits.debit(new DebitGroups.Debit(accountId, key, claim, request.amount(), request.reason())).map(StoredResponse::toResponse);
    }

    /** Gives a debit's credits back, once (the product's backend or an admin; not the account itself). */
    @APIResponse(responseCode = "200", description = "the debit and the credits given back",
                content = @Content(mediaType = "application/json", schema = @Schema(implementation = Reversals.Reversal.class)))
    @APIResponse(responseCode = "403", description = "forbidden: accounts may not reverse their own debits")
    @APIResponse(responseCode = "404", description = "debit_not_found (errors[] names debitId)")
    @APIResponse(responseCode = "409", description = "already_reversed")
    @POST
    @Path("/debits/{debitId}/reversal")
    @RolesAllowed({Roles.SERVICE, Roles.ADMIN})
    public Uni<Response> reverse(@PathParam("accountId") String accountId, @PathParam("debitId") String debitId,
                                 @HeaderParam("Idempotency-Key") String key) {
        return idempotency.run(Tx.Kind.CONNECTION, accountId, key, List.of("reverse", debitId),
                tx -> reversals.reverse(tx, accountId, debitId, "reversal of " + debitId).map(Answer::ok)).map(s -> s.toResponse());
    }

    /** Ledger entries, newest first; page with {@code before} = the last id seen. */
    @GET
    @Path("/ledger")
    public Uni<List<LedgerQueries.Entry>> history(@PathParam("accountId") String accountId,
                                                  @QueryParam("before") @DefaultValue("9223372036854775807") @Min(1) long before,
                                                  @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
        return queries.history(accountId, before, limit);
    }
}
