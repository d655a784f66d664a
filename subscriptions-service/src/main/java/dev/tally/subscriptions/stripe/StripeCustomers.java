package dev.tally.subscriptions.stripe;

import com.stripe.param.CustomerCreateParams;
import dev.tally.backbone.clock.TallyClock;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * One Stripe customer per account, created once: the link is looked up first; creating uses an
 * idempotency key named after the account (two racing requests create one customer at Stripe) and
 * the link is stored with ON CONFLICT DO NOTHING, so the first link wins.
 */
@ApplicationScoped
public class StripeCustomers {
    private final StripeApi stripe;
    private final StripeLinks links;
    private final TallyClock clock;

    public StripeCustomers(StripeApi stripe, StripeLinks links, TallyClock clock) {
        this.stripe = stripe;
        this.links = links;
        this.clock = clock;
    }

    public Uni<String> ensure(String accountId) {
        return links.customer(accountId).flatMap(found -> found.isPresent() ? Uni.createFrom().item(found.get())
                : stripe.call("customer-" + accountId, (client, options) -> client.v1().customers().create(CustomerCreateParams.builder()
                                .putMetadata("account_id", accountId).setDescription("Tally account " + accountId).build(), options))
                        .flatMap(customer -> links.linkCustomer(accountId, customer.getId(), clock.instant())));
    }
}
