package dev.tally.credits.service;

import dev.tally.backbone.catalog.Catalog;
import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.contracts.plans.CreditPackSnapshot;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.credits.domain.AutoTopup;
import dev.tally.credits.repository.AutoTopupRepository;
import dev.tally.credits.repository.LedgerRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * An account's auto top-up settings: set (or replaced: on again, failures counted from zero), read,
 * switched off. The pack is checked against the catalog read model and kept with its credits and
 * price (a pack is never changed in place), so the debit path needs no catalog. Each write holds
 * the account's lock first, as the debit path does.
 */
@ApplicationScoped
public class AutoTopups {
    private final Pool pool;
    private final Catalog catalog;
    private final LedgerRepository ledgers;
    private final AutoTopupRepository repository;
    private final TallyClock clock;
    private final int defaultMaxFailures;

    public AutoTopups(Pool pool, Catalog catalog, LedgerRepository ledgers, AutoTopupRepository repository, TallyClock clock,
                      @ConfigProperty(name = "tally.credits.auto-topup.max-failures", defaultValue = "3") int defaultMaxFailures) {
        this.pool = pool;
        this.catalog = catalog;
        this.ledgers = ledgers;
        this.repository = repository;
        this.clock = clock;
        this.defaultMaxFailures = defaultMaxFailures;
    }

    /** What an account asks for; {@code maxFailures} null takes the default ({@code tally.credits.auto-topup.max-failures}). */
    public record Settings(long threshold, String packCode, long monthlyCapMinor, String currency, Integer maxFailures) {
    }

    public record View(String accountId, boolean enabled, String disabledReason, long threshold, String packCode, long packCredits,
                       long packPriceMinor, String currency, long monthlyCapMinor, long spentThisMonthMinor, int maxFailures,
                       int failuresInRow, UUID inFlight, Instant inFlightSince) {
    }

    public Uni<View> view(String accountId) {
        return repository.find(pool, accountId).map(found -> view(found.orElseThrow(AutoTopups::notSet)));
    }

    public Uni<View> configure(String accountId, Settings s) {
        return catalog.creditPack(s.packCode()).flatMap(found -> {
            CreditPackSnapshot pack = found.filter(p -> p.status() == PlanSnapshot.PlanStatus.PUBLISHED).orElseThrow(() -> ProblemException.naming(
                    404, "credit_pack_not_found", "No credit pack " + s.packCode() + " for sale.", "packCode"));
            if (!pack.currency().equals(s.currency())) {
                throw ProblemException.naming(422, "currency_mismatch", "Pack " + pack.code() + " is sold in " + pack.currency()
                        + "; the monthly cap must be in it too.", "currency");
            }
            if (s.monthlyCapMinor() < pack.amountMinor()) {
                throw ProblemException.naming(422, "monthly_cap_below_pack_price", "A monthly cap of " + s.monthlyCapMinor()
                        + " buys no pack " + pack.code() + " (" + pack.amountMinor() + " " + pack.currency() + ").", "monthlyCapMinor");
            }
            int maxFailures = s.maxFailures() == null ? defaultMaxFailures : s.maxFailures();
            Instant now = clock.instant();
            return pool.withTransaction(tx -> ledgers.lockAccount(tx, accountId, now)
                    .flatMap(x -> repository.find(tx, accountId))
                    .flatMap(old -> {
                        AutoTopup set = AutoTopup.configure(old.map(AutoTopupRepository.Stored::autoTopup).orElse(null), accountId, s.threshold(),
                                pack.code(), pack.credits(), pack.amountMinor(), pack.currency(), s.monthlyCapMinor(), maxFailures);
                        return repository.save(tx, java.util.List.of(set), now).flatMap(y -> repository.find(tx, accountId));
                    }))
                    .map(saved -> view(saved.orElseThrow()));
        });
    }

    /** Switches it off (nothing more is asked; a top-up in flight still settles and is granted). */
    public Uni<View> switchOff(String accountId) {
        Instant now = clock.instant();
        return pool.withTransaction(tx -> ledgers.lockAccount(tx, accountId, now)
                .flatMap(x -> repository.find(tx, accountId))
                .flatMap(found -> {
                    AutoTopup off = found.orElseThrow(AutoTopups::notSet).autoTopup().switchedOff();
                    return repository.save(tx, java.util.List.of(off), now).flatMap(y -> repository.find(tx, accountId));
                }))
                .map(saved -> view(saved.orElseThrow()));
    }

    private View view(AutoTopupRepository.Stored stored) {
        AutoTopup t = stored.autoTopup();
        return new View(t.accountId(), t.enabled(), t.disabledReason(), t.threshold(), t.packCode(), t.packCredits(), t.packPriceMinor(),
                t.currency(), t.monthlyCapMinor(), t.spentIn(YearMonth.from(clock.instant().atOffset(ZoneOffset.UTC))), t.maxFailures(),
                t.failuresInRow(), t.inFlight(), stored.inFlightSince());
    }

    private static ProblemException notSet() {
        return ProblemException.notFound("auto_topup_not_set", "This account has no auto top-up: PUT one first.");
    }
}
