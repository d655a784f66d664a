package dev.tally.subscriptions.rest;

import dev.tally.backbone.auth.Roles;
import dev.tally.subscriptions.sales.SalesInquiries;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Sales inquiries (an account asking for a plan sold through sales), for admins: newest first, optionally one account's. */
@Path("/admin/sales-inquiries")
@RolesAllowed(Roles.ADMIN)
public class SalesInquiriesResource {
    private final SalesInquiries inquiries;

    public SalesInquiriesResource(SalesInquiries inquiries) {
        this.inquiries = inquiries;
    }

    public record SalesInquiry(UUID id, String accountId, String planCode, String contactEmail, String message, Instant receivedAt) {
    }

    /** Up to 200 inquiries, newest first; {@code accountId} keeps that account's only. */
    @GET
    public Uni<List<SalesInquiry>> list(@QueryParam("accountId") String accountId) {
        return inquiries.newest(accountId).map(found -> found.stream().map(i -> new SalesInquiry(i.id, i.accountId, i.planCode,
                i.contactEmail, i.message, i.receivedAt)).toList());
    }
}
