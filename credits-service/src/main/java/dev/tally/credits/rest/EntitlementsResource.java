package dev.tally.credits.rest;

import dev.tally.backbone.auth.Roles;
import dev.tally.backbone.catalog.Catalog;
import dev.tally.backbone.clock.TallyClock;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.credits.domain.Entitlements;
import dev.tally.credits.service.EntitlementChecks;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * What an account may use now: every feature the catalog sells (allowed or not on the account's
 * plan), credits (limit, used, remaining, reset time) and seats; and the check of one feature the
 * product calls on every request, answered from this service's own projection (one row; for
 * credits, its buckets and holds) with no call to another service, and cacheable until it may change.
 */
@Path("/accounts/{accountId}/entitlements")
@RolesAllowed({Roles.ACCOUNT, Roles.SERVICE, Roles.ADMIN})
public class EntitlementsResource {
    private final EntitlementChecks checks;
    private final Catalog catalog;
    private final TallyClock clock;

    public EntitlementsResource(EntitlementChecks checks, Catalog catalog, TallyClock clock) {
        this.checks = checks;
        this.catalog = catalog;
        this.clock = clock;
    }

    /**
     * The account's plan and what it allows. {@code validUntil}: the next instant the plan changes by
     * itself (its period end, where a renewal, a scheduled change or a cancellation takes effect);
     * a change made before is announced as {@code entitlements.changed}.
     */
    public record EntitlementsView(String accountId, String planCode, int planVersion, Instant periodEnd, String pendingPlanCode,
                                   Instant pendingEffectiveAt, boolean cancelAtPeriodEnd, Instant validUntil,
                                   List<Entitlements.Check> features) {
    }

    @APIResponse(responseCode = "200", description = "every feature of the catalog, allowed or not, then credits and seats",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = EntitlementsView.class)))
    @APIResponse(responseCode = "404", description = "subscription_not_found: no subscription event has reached credits-service for this account yet")
    @GET
    public Uni<Response> all(@PathParam("accountId") String accountId) {
        Instant now = clock.instant();
        return checks.grant(accountId).flatMap(grant -> Uni.combine().all().unis(checks.credits(accountId, true, now),
                catalog.plansForSale()).asTuple().map(t -> {
                    List<String> sold = t.getItem2().stream().map(PlanSnapshot::features).filter(Objects::nonNull)
                            .flatMap(List::stream).distinct().toList();
                    var g = grant;
                    var view = new EntitlementsView(accountId, g.planCode(), g.planVersion(), g.periodEnd(), g.pendingPlanCode(),
                            g.pendingEffectiveAt(), g.cancelAtPeriodEnd(), Entitlements.validUntil(g, now),
                            Entitlements.all(g, t.getItem1(), sold, now));
                    return Response.ok(view).header("Cache-Control", "private, no-cache").build();
                }));
    }

    /**
     * One feature: {@code credits} (allowed while the spendable credits cover {@code quantity}, always when overage is
     * billed), {@code seats} (allowed while {@code quantity} is within the plan's seats) or a feature of the catalog.
     * {@code Cache-Control: private, max-age=N} until {@code validUntil} (at most {@code tally.entitlements.max-age});
     * credits move with every debit, so their answer is {@code no-cache}.
     */
    @APIResponse(responseCode = "200", description = "whether the account may use the feature now, and until when the answer holds",
            headers = @Header(name = "Cache-Control", description = "private, max-age=<seconds the answer holds>; private, no-cache for credits",
                    schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING)),
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Entitlements.Check.class)))
    @APIResponse(responseCode = "404", description = "subscription_not_found: no subscription event has reached credits-service for this account yet")
    @GET
    @Path("/{feature}")
    public Uni<Response> check(@PathParam("accountId") String accountId, @PathParam("feature") String feature,
                               @QueryParam("quantity") @DefaultValue("1") @Min(1) @Max(1_000_000_000) long quantity) {
        Instant now = clock.instant();
        return checks.check(accountId, feature, quantity, now).map(c -> Response.ok(c).header("Cache-Control", checks.cacheControl(c, now))
                .build());
    }
}
