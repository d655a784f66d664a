package dev.tally.subscriptions.rest;

import dev.tally.backbone.auth.Roles;
import dev.tally.backbone.idempotency.IdempotentRequests;
import dev.tally.backbone.idempotency.IdempotentRequests.Answer;
import dev.tally.backbone.input.PathIds;
import dev.tally.backbone.problem.FieldsAtFault;
import dev.tally.backbone.tx.Tx;
import dev.tally.contracts.subscriptions.SalesInquiryReceived;
import dev.tally.contracts.subscriptions.TopupPurchased;
import dev.tally.subscriptions.sales.SalesInquiries;
import dev.tally.subscriptions.service.PurchaseService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** Buying credit packs, and asking sales for a plan that is not self-serve. */
@Path("/accounts/{accountId}")
@RolesAllowed({Roles.ACCOUNT, Roles.SERVICE, Roles.ADMIN})
public class PurchaseResource {
    private final PurchaseService purchases;
    private final SalesInquiries inquiries;
    private final IdempotentRequests idempotency;

    public PurchaseResource(PurchaseService purchases, SalesInquiries inquiries, IdempotentRequests idempotency) {
        this.purchases = purchases;
        this.inquiries = inquiries;
        this.idempotency = idempotency;
    }

    private static final FieldsAtFault TOPUP_FIELDS = FieldsAtFault.of("credit_pack_not_found", "packCode");
    private static final FieldsAtFault INQUIRY_FIELDS = FieldsAtFault.of("plan_not_found", "planCode").and("self_serve_plan", "planCode");

    public record TopupRequest(@NotBlank @Pattern(regexp = PathIds.ID, message = "must be a credit pack code") String packCode) {
    }

    public record SalesInquiryRequest(@NotBlank @Pattern(regexp = PathIds.ID, message = "must be a plan code") String planCode,
                                      @NotBlank @Email @Size(max = 320) String contactEmail, @Size(max = 2000) String message) {
    }

    @APIResponse(responseCode = "201", description = "the purchase: its id, the pack, its credits and the payment reference",
                content = @Content(mediaType = "application/json", schema = @Schema(implementation = TopupPurchased.class)))
    @APIResponse(responseCode = "402", description = "payment_method_required, payment_failed or card_declined")
    @APIResponse(responseCode = "403", description = "account_mismatch or forbidden")
    @APIResponse(responseCode = "404", description = "credit_pack_not_found (errors[] names packCode)")
    @APIResponse(responseCode = "409", description = "checkout_required")
    @APIResponse(responseCode = "422", description = "stripe_price_missing")
    @POST
    @Path("/topups")
    public Uni<Response> buy(@PathParam("accountId") String accountId, @HeaderParam("Idempotency-Key") String key,
                             @Valid @NotNull TopupRequest request) {
        return idempotency.run(Tx.Kind.SESSION, accountId, key, List.of("topup", request),
                () -> TOPUP_FIELDS.<PurchaseService.Paid>on(() -> purchases.payTopup(accountId, request.packCode(), key)),
                (tx, paid) -> purchases.recordTopup(tx, paid).map(Answer::created))
                .map(s -> s.toResponse());
    }

    @APIResponse(responseCode = "201", description = "the inquiry as recorded and announced",
                content = @Content(mediaType = "application/json", schema = @Schema(implementation = SalesInquiryReceived.class)))
    @APIResponse(responseCode = "403", description = "account_mismatch or forbidden")
    @APIResponse(responseCode = "404", description = "plan_not_found (errors[] names planCode)")
    @APIResponse(responseCode = "422", description = "self_serve_plan (errors[] names planCode)")
    @POST
    @Path("/sales-inquiries")
    public Uni<Response> inquire(@PathParam("accountId") String accountId, @HeaderParam("Idempotency-Key") String key,
                                 @Valid @NotNull SalesInquiryRequest request) {
        return idempotency.run(Tx.Kind.SESSION, accountId, key, List.of("inquiry", request), tx -> INQUIRY_FIELDS.on(() -> inquiries.inquire(tx,
                accountId, request.planCode(), request.contactEmail(), request.message())).map(Answer::created)).map(s -> s.toResponse());
    }
}
