package dev.tally.credits.rest;

import dev.tally.backbone.auth.Roles;
import dev.tally.backbone.clock.TallyClock;
import dev.tally.credits.repository.LedgerAudit;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Verifies the ledger invariant (see {@link LedgerAudit}): every bucket equals the sum of its entries,
 * every account's spendable balance equals the sum of the entries of its live buckets, and no bucket
 * keeps credits past its expiry beyond the grace. Every disagreement is named.
 */
@Path("/admin/ledger/check")
@RolesAllowed(Roles.ADMIN)
public class LedgerCheckResource {
    private final LedgerAudit audit;
    private final TallyClock clock;
    private final Duration grace;

    public LedgerCheckResource(LedgerAudit audit, TallyClock clock,
                               @ConfigProperty(name = "tally.credits.expiry-grace", defaultValue = "30s") Duration grace) {
        this.audit = audit;
        this.clock = clock;
        this.grace = grace;
    }

    /** A bucket whose remaining credits are not the sum of its entries (as this check always answered). */
    public record Mismatch(long bucketId, String accountId, long remaining, long sumOfEntries) {
    }

    /**
     * {@code holds}: no disagreement at all. {@code mismatches}: the buckets that differ from their
     * entries. {@code disagreements}: everything that disagrees, named (up to 1000; {@code
     * disagreementCount} counts them all). {@code expiriesPending}: buckets past their expiry whose
     * entry is due within the grace (counted in real time too: right after the dev clock jumped past
     * an expiry, no sweep has had a chance yet).
     */
    public record LedgerCheck(boolean holds, List<Mismatch> mismatches, List<LedgerAudit.Disagreement> disagreements,
                              long disagreementCount, long expiriesPending, Instant checkedAt, long graceSeconds) {
    }

    @GET
    public Uni<LedgerCheck> check() {
        return audit.check(clock.instant(), grace).map(r -> new LedgerCheck(r.disagreementCount() == 0,
                r.disagreements().stream().filter(d -> d.kind().equals("bucket_differs_from_entries"))
                        .map(d -> new Mismatch(d.bucketId(), d.accountId(), d.actual(), d.expected())).toList(),
                r.disagreements(), r.disagreementCount(), r.expiriesPending(), r.at(), r.grace().toSeconds()));
    }
}
