package dev.tally.subscriptions.rest;

import dev.tally.backbone.auth.Roles;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.contracts.subscriptions.InvoiceLine;
import dev.tally.subscriptions.domain.ArrearsInvoice;
import dev.tally.subscriptions.repository.InvoiceRepository;
import dev.tally.subscriptions.service.Invoices;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Invoices billed in arrears: each period's charges, readable from its usage close (COMPUTED), then
 * COLLECTED on the billing date (or UNPAID when the gateway did not settle it); and the upcoming
 * one, which is the computed invoice once the close is made and, before it, what the invoice will
 * hold if nothing changes (PROJECTED).
 */
@Path("/accounts/{accountId}/invoices")
@RolesAllowed({Roles.ACCOUNT, Roles.SERVICE, Roles.ADMIN})
public class InvoicesResource {
    private final Invoices invoices;

    public InvoicesResource(Invoices invoices) {
        this.invoices = invoices;
    }

    /**
     * One invoice in arrears. {@code billingDate} is its period's end; {@code id} is null on a
     * PROJECTED invoice; the collected figures ({@code customerBalanceUsedMinor}, {@code paidMinor},
     * {@code paymentRef}, {@code collectedAt}) are null until it is collected.
     */
    public record Invoice(UUID id, String status, Instant periodStart, Instant billingDate, String currency, long totalMinor,
                          List<InvoiceLine> lines, Instant computedAt, Instant collectedAt, Long customerBalanceUsedMinor,
                          Long paidMinor, String paymentRef) {
    }

    @GET
    public Uni<List<Invoice>> list(@PathParam("accountId") String accountId,
                                   @QueryParam("limit") @DefaultValue("24") @Min(1) @Max(200) int limit) {
        return invoices.list(accountId, limit).map(found -> found.stream().map(InvoicesResource::view).toList());
    }

    @GET
    @Path("/upcoming")
    public Uni<Invoice> upcoming(@PathParam("accountId") String accountId) {
        return invoices.upcoming(accountId).map(found -> found.computed().map(InvoicesResource::view)
                .or(() -> found.projected().map(projected -> view(null, "PROJECTED", projected, null, null, null, null, null)))
                .orElseThrow(InvoicesResource::none));
    }

    private static ProblemException none() {
        return ProblemException.notFound("no_invoice_in_arrears", "This account's plan is billed in advance: it has no upcoming invoice "
                + "in arrears (its charges are in GET /accounts/{id}/charges).");
    }

    public static Invoice view(InvoiceRepository.Stored s) {
        return view(s.id(), s.status(), s.invoice(), s.computedAt(), s.collectedAt(), s.balanceUsedMinor(), s.paidMinor(), s.paymentRef());
    }

    public static Invoice view(UUID id, String status, ArrearsInvoice invoice, Instant computedAt, Instant collectedAt, Long balanceUsed,
                                Long paid, String ref) {
        var lines = invoice.lines().stream().map(l -> new InvoiceLine(l.kind().name(), l.description(), l.period().start(),
                l.period().end(), l.amount().minor())).toList();
        return new Invoice(id, status, invoice.period().start(), invoice.period().end(), invoice.currency(), invoice.total().minor(), lines,
                computedAt, collectedAt, balanceUsed, paid, ref);
    }
}
