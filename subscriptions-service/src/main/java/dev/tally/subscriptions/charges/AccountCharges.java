package dev.tally.subscriptions.charges;

import dev.tally.subscriptions.domain.Money;
import dev.tally.subscriptions.repository.SubscriptionRecordRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** What an account paid (its charge lines) and the credit it holds with us (its customer balance). */
@ApplicationScoped
public class AccountCharges {
    private final ChargeRepository charges;
    private final SubscriptionRecordRepository subscriptions;

    public AccountCharges(ChargeRepository charges, SubscriptionRecordRepository subscriptions) {
        this.charges = charges;
        this.subscriptions = subscriptions;
    }

    /** Up to {@code limit} lines with an id below {@code before}, newest first. */
    @WithSession
    public Uni<List<Charge>> lines(String accountId, long before, int limit) {
        return charges.page(accountId, before, limit);
    }

    /** The customer balance; empty for an account without a subscription. */
    @WithSession
    public Uni<Optional<Money>> balance(String accountId) {
        return subscriptions.ofAccount(accountId)
                .map(s -> Optional.ofNullable(s).map(found -> new Money(found.customerBalanceMinor, found.customerBalanceCurrency)));
    }
}
