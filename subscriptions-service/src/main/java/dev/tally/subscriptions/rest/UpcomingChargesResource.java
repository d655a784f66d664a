package dev.tally.subscriptions.rest;

import dev.tally.backbone.auth.Roles;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.subscriptions.service.UpcomingChargesService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * What the account will be charged at its next billing date and why (subscriptions-domain's
 * UpcomingCharges: the period end run on a copy, the invoice in arrears as {@code /invoices/upcoming}
 * shows it, the usage the next close charges as credits-service's usage so far reports it), as
 * {@link UpcomingChargesService} works it out. Read-only; when credits-service does not answer the
 * usage is left out with the warning {@code usage_unknown}.
 */
@Path("/accounts/{accountId}/charges/upcoming")
@RolesAllowed({Roles.ACCOUNT, Roles.SERVICE, Roles.ADMIN})
public class UpcomingChargesResource {
    private final UpcomingChargesService upcoming;

    public UpcomingChargesResource(UpcomingChargesService upcoming) {
        this.upcoming = upcoming;
    }

    /**
     * One upcoming line: {@code kind} as in {@code GET /charges} (RENEWAL, NEW_PERIOD, ARREARS, ARREARS_CREDIT, OVERAGE),
     * {@code chargedAt} when it is charged (the billing date; overage of a plan billed in advance: the usage close),
     * {@code customerBalanceApplies} whether the customer balance pays it before the gateway.
     */
    public record UpcomingLine(String kind, String description, Instant periodStart, Instant periodEnd, long amountMinor, Instant chargedAt,
                       boolean customerBalanceApplies) {
    }

    /**
     * {@code next}: RENEWED, CHANGED (the pending change takes effect) or REVERTED_TO_FREE (the cancellation), with the plan
     * of the next period; {@code dueMinor}: what the gateway will be asked for; {@code invoice}: the invoice in arrears exactly as
     * {@code GET /invoices/upcoming} answers it now (null when the plan bills in advance and nothing is owed in arrears);
     * {@code warnings}: {@code usage_unknown} when credits-service could not be read (the overage is then left out).
     */
    public record UpcomingChargesView(String accountId, Instant billingDate, String next, String planCode, int planVersion, BillingInterval interval,
                           String currency, List<UpcomingLine> lines, long totalMinor, long customerBalanceMinor, long customerBalanceAppliedMinor,
                           long dueMinor, long customerBalanceAfterMinor, InvoicesResource.Invoice invoice, List<String> warnings) {
    }

    @APIResponse(responseCode = "200", description = "the next billing date's charges",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = UpcomingChargesView.class)))
    @APIResponse(responseCode = "404", description = "subscription_not_found: the account has no subscription yet (GET its subscription starts one)")
    @GET
    public Uni<UpcomingChargesView> upcoming(@PathParam("accountId") String accountId) {
        return upcoming.upcoming(accountId);
    }
}
