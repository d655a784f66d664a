package dev.tally.subscriptions.repository;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.subscriptions.PendingChangeView;
import dev.tally.contracts.subscriptions.SubscriptionState;
import dev.tally.subscriptions.domain.BillingPeriod;
import dev.tally.subscriptions.domain.CustomerBalance;
import dev.tally.subscriptions.domain.Money;
import dev.tally.subscriptions.domain.PendingChange;
import dev.tally.subscriptions.domain.Subscription;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One account's subscription through Hibernate: read, and converted to and from the domain's
 * {@link Subscription}. The set-based paths (a batch of period ends) use {@link SubscriptionRepository}.
 */
@ApplicationScoped
public class SubscriptionRecordRepository implements PanacheRepositoryBase<SubscriptionRecord, UUID> {
    private final ObjectMapper json;

    public SubscriptionRecordRepository(ObjectMapper json) {
        this.json = json;
    }

    /** The account's subscription row, or null; in the session's persistence context. */
    public Uni<SubscriptionRecord> ofAccount(String accountId) {
        return find("accountId", accountId).firstResult();
    }

    /** The account's subscription as the domain sees it. */
    public Uni<Optional<Subscription>> subscription(String accountId) {
        return ofAccount(accountId).map(r -> Optional.ofNullable(r).map(this::toDomain));
    }

    /**
     * Inserts the subscription unless the account has one (HQL's {@code on conflict}: two first reads
     * racing both succeed, one row kept); true when this call created it. In the session's transaction.
     */
    public Uni<Boolean> insertIfAbsent(Subscription s, Instant now) {
        return getSession().flatMap(session -> session.createMutationQuery("insert into SubscriptionRecord (id, accountId, planCode, "
                        + "planVersion, billingInterval, status, periodAnchor, periodStart, periodEnd, cancelAtPeriodEnd, "
                        + "customerBalanceMinor, customerBalanceCurrency, revision, createdAt) values (:id, :account, :plan, :version, "
                        + ":interval, :status, :anchor, :start, :end, :cancel, :balance, :currency, :revision, :now) "
                        + "on conflict (accountId) do nothing")
                .setParameter("id", s.id()).setParameter("account", s.accountId()).setParameter("plan", s.planCode())
                .setParameter("version", s.planVersion()).setParameter("interval", s.interval().name())
                .setParameter("status", s.status().name()).setParameter("anchor", s.anchor()).setParameter("start", s.period().start())
                .setParameter("end", s.period().end()).setParameter("cancel", s.cancelAtPeriodEnd())
                .setParameter("balance", s.balance().balance().minor()).setParameter("currency", s.balance().balance().currency())
                .setParameter("revision", s.revision()).setParameter("now", now)
                .executeUpdate()).map(inserted -> inserted == 1);
    }

    public Subscription toDomain(SubscriptionRecord r) {
        PendingChangeView pending = r.pendingChange == null ? null : read(r.pendingChange);
        return new Subscription(r.id, r.accountId, r.planCode, r.planVersion, BillingInterval.valueOf(r.billingInterval),
                SubscriptionState.Status.valueOf(r.status), r.periodAnchor, new BillingPeriod(r.periodStart, r.periodEnd),
                r.cancelAtPeriodEnd, pending == null ? null : PendingChange.fromView(pending),
                new CustomerBalance(new Money(r.customerBalanceMinor, r.customerBalanceCurrency)), r.revision,
                AccrualJson.read(json, r.accrual));
    }

    private PendingChangeView read(String text) {
        try {
            return json.readValue(text, PendingChangeView.class);
        } catch (Exception e) {
            throw new IllegalStateException("unreadable pending change", e);
        }
    }
}
