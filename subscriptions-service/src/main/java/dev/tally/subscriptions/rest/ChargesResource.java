package dev.tally.subscriptions.rest;

import dev.tally.backbone.auth.Roles;
import dev.tally.subscriptions.charges.AccountCharges;
import dev.tally.subscriptions.charges.Charge;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.DefaultValue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Instant;
import java.util.List;

/**
 * What an account paid, in one list: one line per change, renewal, credit for unused time, overage
 * and top-up, newest first, each with its payment reference; and its customer balance (credit we
 * owe it, used up by the next charges).
 */
@Path("/accounts/{accountId}")
@RolesAllowed({Roles.ACCOUNT, Roles.SERVICE, Roles.ADMIN})
public class ChargesResource {
    private final AccountCharges charges;

    public ChargesResource(AccountCharges charges) {
        this.charges = charges;
    }

    /**
     * One charge line as the API shows it (a response type: the domain's ChargeLine is what a change
     * or renewal bills; this is the stored line with what it paid for and how it was paid).
     *
     * @param kind       UNUSED_TIME_CREDIT, REMAINING_TIME, NEW_PERIOD, RENEWAL, OVERAGE, TOPUP, TOPUP_REFUND and TOPUP_DISPUTE
     *                   (negative: a top-up's money back), or in arrears ARREARS (a part of a period on one plan) and
     *                   ARREARS_CREDIT (a part invoiced, then not used)
     * @param paidFor    what the line pays for: plan (a new period of a plan on a change), proration
     *                   (unused time credited, remaining time charged), renewal, overage, topup or arrears
     * @param periodStart the period a plan, proration, renewal or overage line covers (null on a top-up)
     * @param packCode   the credit pack a top-up bought, with its {@code packCredits} (null on other lines)
     * @param paymentRef the gateway's reference of the payment that settled it (null: covered by the customer balance, or a credit)
     * @param actedBy    the admin's subject when support made the change for the account (else null), with its {@code reason}
     * @param status     BILLED (charged when it was made), or for a line of an invoice in arrears ({@code invoiceId}):
     *                   COMPUTED at the usage close, COLLECTED on the billing date, UNPAID if its payment did not settle
     */
    public record ChargeLineView(long id, String kind, String paidFor, String description, Instant periodStart, Instant periodEnd,
                                 String packCode, Long packCredits, long amountMinor, String currency, String paymentRef, Instant at,
                                 String actedBy, String reason, String status, java.util.UUID invoiceId) {
    }

    /** Credit the account holds with us (from downgrades), in minor units, as the API shows it (the domain's CustomerBalance is the rule). */
    public record CustomerBalanceView(String accountId, long amountMinor, String currency) {
    }

    @GET
    @Path("/customer-balance")
    public Uni<CustomerBalanceView> balance(@PathParam("accountId") String accountId) {
        return charges.balance(accountId).map(found -> found.map(b -> new CustomerBalanceView(accountId, b.minor(), b.currency()))
                .orElseGet(() -> new CustomerBalanceView(accountId, 0, null)));
    }

    /** Charge lines, newest first; page with {@code before} = the last id seen. */
    @GET
    @Path("/charges")
    public Uni<List<ChargeLineView>> charges(@PathParam("accountId") String accountId,
                                         @QueryParam("before") @DefaultValue("9223372036854775807") @Min(1) long before,
                                         @QueryParam("limit") @DefaultValue("200") @Min(1) @Max(200) int limit) {
        return charges.lines(accountId, before, limit).map(lines -> lines.stream().map(ChargesResource::view).toList());
    }

    private static ChargeLineView view(Charge c) {
        return new ChargeLineView(c.id, c.kind, paidFor(c.kind), c.description, c.periodStart, c.periodEnd, c.packCode, c.packCredits,
                c.amountMinor, c.currency, c.paymentRef, c.createdAt, c.actedBy, c.reason, c.status == null ? "BILLED" : c.status,
                c.invoiceId);
    }

    static String paidFor(String kind) {
        if (kind == null) {
            return null;
        }
        return switch (kind) {
            case "NEW_PERIOD" -> "plan";
            case "UNUSED_TIME_CREDIT", "REMAINING_TIME" -> "proration";
            case "RENEWAL" -> "renewal";
            case "OVERAGE" -> "overage";
            case "ARREARS", "ARREARS_CREDIT" -> "arrears";
            case "TOPUP", "TOPUP_REFUND", "TOPUP_DISPUTE" -> "topup";
            default -> kind.toLowerCase(java.util.Locale.ROOT);
        };
    }
}
