package dev.tally.subscriptions.stripe;

import com.stripe.param.billingportal.SessionCreateParams;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Stripe's customer portal, where an account manages its payment methods and reads its invoices. */
@ApplicationScoped
public class StripePortal {
    private final StripeApi stripe;
    private final StripeCustomers customers;

    public StripePortal(StripeApi stripe, StripeCustomers customers) {
        this.stripe = stripe;
        this.customers = customers;
    }

    public record PortalSession(String id, String url) {
    }

    public Uni<PortalSession> open(String accountId, String returnUrl) {
        return customers.ensure(accountId).flatMap(customer -> stripe.call(null, (client, options) ->
                        client.v1().billingPortal().sessions().create(SessionCreateParams.builder().setCustomer(customer)
                                .setReturnUrl(returnUrl).build(), options)))
                .map(session -> new PortalSession(session.getId(), session.getUrl()));
    }
}
