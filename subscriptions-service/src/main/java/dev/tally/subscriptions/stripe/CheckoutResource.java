package dev.tally.subscriptions.stripe;

import dev.tally.backbone.auth.Roles;
import dev.tally.backbone.idempotency.IdempotentRequests.Answer;
import dev.tally.backbone.idempotency.IdempotentRequests;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.backbone.tx.Tx;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.subscriptions.payment.PaymentGateways;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
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
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * Stripe-hosted pages for an account: Checkout for a first payment (a credit pack or a paid plan)
 * and the customer portal for payment methods and invoices. Only with {@code tally.payments.provider=stripe}.
 */
@Path("/accounts/{accountId}")
@RolesAllowed({Roles.ACCOUNT, Roles.SERVICE, Roles.ADMIN})
public class CheckoutResource {
    private final Checkouts checkouts;
    private final StripePortal portal;
    private final IdempotentRequests idempotency;
    private final String provider;

    public CheckoutResource(Checkouts checkouts, StripePortal portal, IdempotentRequests idempotency,
                            @ConfigProperty(name = "tally.payments.provider", defaultValue = "local") String provider) {
        this.checkouts = checkouts;
        this.portal = portal;
        this.idempotency = idempotency;
        this.provider = provider;
    }

    public record CheckoutBody(@Size(max = 100) String packCode, @Size(max = 100) String planCode, BillingInterval interval,
                               @NotBlank @Size(max = 2000) @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL") String successUrl,
                               @NotBlank @Size(max = 2000) @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL") String cancelUrl) {
    }

    public record PortalBody(@NotBlank @Size(max = 2000) @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL") String returnUrl) {
    }

    @APIResponse(responseCode = "201", description = "the Checkout session opened at Stripe, with its url",
                content = @Content(mediaType = "application/json", schema = @Schema(implementation = StripeLinks.Checkout.class)))
    @APIResponse(responseCode = "404", description = "plan_not_found or credit_pack_not_found")
    @APIResponse(responseCode = "409", description = "stripe_not_in_use or already_subscribed")
    @APIResponse(responseCode = "422", description = "stripe_price_missing or interval_not_offered")
    @APIResponse(responseCode = "502", description = "stripe_rejected")
    @POST
    @Path("/checkout-sessions")
    public Uni<Response> checkout(@PathParam("accountId") String accountId, @HeaderParam("Idempotency-Key") String key,
                                  @Valid @NotNull CheckoutBody body) {
        requireStripe();
        var request = new Checkouts.CheckoutRequest(body.packCode(), body.planCode(), body.interval(), body.successUrl(), body.cancelUrl());
        return idempotency.run(Tx.Kind.SESSION, accountId, key, List.of("checkout", body),
                () -> checkouts.open(accountId, request, key),
                (tx, session) -> checkouts.keep(tx, session).map(Answer::created)).map(stored -> stored.toResponse());
    }

    @APIResponse(responseCode = "200", description = "the customer portal session, with its url",
                content = @Content(mediaType = "application/json", schema = @Schema(implementation = StripePortal.PortalSession.class)))
    @APIResponse(responseCode = "409", description = "stripe_not_in_use")
    @APIResponse(responseCode = "502", description = "stripe_rejected")
    @POST
    @Path("/portal-sessions")
    public Uni<StripePortal.PortalSession> portal(@PathParam("accountId") String accountId, @Valid @NotNull PortalBody body) {
        requireStripe();
        return portal.open(accountId, body.returnUrl());
    }

    private void requireStripe() {
        if (!PaymentGateways.stripe(provider)) {
            throw ProblemException.conflict("stripe_not_in_use", "This installation uses the local payment sandbox (tally.payments.provider="
                    + provider + "): buy with POST /topups and change plan directly.");
        }
    }
}
