package dev.tally.credits.service;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.contracts.credits.CreditBucketKind;
import dev.tally.credits.repository.LedgerRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Gives a debit's credits back, once: each part returns to the bucket it came from while that bucket
 * has not expired; a part whose bucket expired meanwhile comes back as PROMO credits valid 30 days
 * (refunding into an expired bucket would give nothing; into TOPUP would make them last forever).
 * The debit's entries stay; the reversal is new entries (corrections are never edits).
 */
@ApplicationScoped
public class Reversals {
    static final Duration LATE_REFUND_VALIDITY = Duration.ofDays(30);
    private final LedgerRepository ledger;
    private final CreditLedger credits;
    private final TallyClock clock;

    public Reversals(LedgerRepository ledger, CreditLedger credits, TallyClock clock) {
        this.ledger = ledger;
        this.credits = credits;
        this.clock = clock;
    }

    public record Reversal(String debitId, long credits) {
    }

    public Uni<Reversal> reverse(SqlConnection tx, String accountId, String debitId, String reason) {
        Instant now = clock.instant();
        String reference = "reversal:" + debitId;
        return ledger.lockAccount(tx, accountId, now)
                .call(t -> credits.live(tx, accountId, now)) // due buckets expire first, as before any change
                .flatMap(t -> tx.preparedQuery("SELECT e.bucket_id, e.bucket, -e.amount, b.expires_at, e.kind, e.reference FROM ledger_entry e "
                                + "JOIN credit_bucket b ON b.id = e.bucket_id WHERE e.account_id = $1 AND e.reference IN ($2, $3)")
                        .execute(Tuple.of(accountId, debitId, reference)))
                .flatMap(rows -> {
                    List<Object[]> parts = new ArrayList<>();
                    boolean reversed = false;
                    for (var r : rows) {
                        if ("REVERSAL".equals(r.getString(4)) || reference.equals(r.getString(5))) {
                            reversed = true;
                        } else if ("DEBIT".equals(r.getString(4))) {
                            parts.add(new Object[] {r.getLong(0), r.getString(1), r.getLong(2), r.getOffsetDateTime(3)});
                        }
                    }
                    if (reversed) {
                        throw ProblemException.conflict("already_reversed", "Debit " + debitId + " was reversed already.");
                    }
                    if (parts.isEmpty()) {
                        throw ProblemException.naming(404, "debit_not_found", "No debit " + debitId + " on this account.", "debitId");
                    }
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    long total = 0;
                    for (Object[] p : parts) {
                        long bucketId = (Long) p[0];
                        long credits = (Long) p[2];
                        var expires = (java.time.OffsetDateTime) p[3];
                        total += credits;
                        boolean live = expires == null || now.isBefore(expires.toInstant());
                        chain = chain.flatMap(x -> live
                                ? tx.preparedQuery("UPDATE credit_bucket SET remaining = remaining + $2 WHERE id = $1").execute(Tuple.of(bucketId, credits))
                                        .flatMap(y -> tx.preparedQuery("INSERT INTO ledger_entry (account_id, bucket_id, bucket, kind, amount, reason, reference, "
                                                        + "created_at) VALUES ($1, $2, $3, 'REVERSAL', $4, $5, $6, $7)")
                                                .execute(Tuple.from(List.of(accountId, bucketId, p[1], credits, reason, reference, now.atOffset(java.time.ZoneOffset.UTC)))))
                                        .replaceWithVoid()
                                : ledger.grant(tx, accountId, CreditBucketKind.PROMO, credits, now.plus(LATE_REFUND_VALIDITY),
                                        reason + " (its bucket had expired)", reference, now));
                    }
                    long credited = total;
                    return chain.replaceWith(new Reversal(debitId, credited));
                });
    }
}
