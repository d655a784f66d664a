package dev.tally.credits.repository;

import static dev.tally.credits.repository.LedgerRepository.at;

import dev.tally.backbone.outbox.Outbox;
import dev.tally.backbone.outbox.OutgoingEvent;
import dev.tally.backbone.tx.Tx;
import dev.tally.contracts.Events;
import dev.tally.contracts.credits.CreditsForfeited;
import dev.tally.contracts.credits.CreditsGranted;
import dev.tally.contracts.credits.CreditsRolledOver;
import dev.tally.credits.domain.AccountLedger;
import dev.tally.credits.domain.AccountTerms;
import dev.tally.credits.domain.Announcement;
import dev.tally.credits.domain.LedgerEntry;
import dev.tally.credits.domain.LedgerRecord;
import dev.tally.credits.domain.SubscriptionPeriod;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The one writer of the ledger: what account ledgers recorded (one account or a batch of them, a
 * single event or a group of debits alike) goes out in a fixed handful of set-based statements,
 * pipelined in order on the caller's transaction (a {@link Tx} on a pooled connection: the statements
 * are native, set-based, and go out without waiting for each other): account terms, subscription periods, new buckets,
 * bucket balances, entries, overage usage, then the announcements and the caller's events in the
 * outbox. The only class that inserts ledger entries or changes a bucket's balance.
 */
@ApplicationScoped
public class LedgerWriter {
    private final Outbox outbox;
    private final LedgerAlerts alerts;

    public LedgerWriter(Outbox outbox, LedgerAlerts alerts) {
        this.outbox = outbox;
        this.alerts = alerts;
    }

    public Uni<Void> write(Tx tx, Collection<AccountLedger> ledgers) {
        return write(tx, ledgers, List.of());
    }

    /**
     * {@code events}: more events to add behind the ledgers' own announcements. The balance alerts of
     * ledgers that moved are checked too ({@link LedgerAlerts}): a ledger whose alerts were not read
     * with it has them read first, one statement before the writes; so a caller that pipelines
     * statements behind this one (the debit path's COMMIT) hands its ledgers over with their alerts read.
     */
    public Uni<Void> write(Tx tx, Collection<AccountLedger> ledgers, List<OutgoingEvent<?>> events) {
        return alerts.readMissing(tx.connection(), ledgers).flatMap(x -> writeRead(tx, ledgers, events));
    }

    private Uni<Void> writeRead(Tx boundary, Collection<AccountLedger> ledgers, List<OutgoingEvent<?>> events) {
        SqlConnection tx = boundary.connection(); // pipelined: a session would run one statement at a time
        List<AccountLedger> sorted = ledgers.stream().sorted(Comparator.comparing(AccountLedger::accountId)).toList();
        List<Uni<?>> statements = new ArrayList<>();
        List<AccountLedger> accounts = sorted.stream().filter(l -> l.termsChanged() || l.appliedPeriod() != null).toList();
        if (!accounts.isEmpty()) {
            statements.add(accounts(tx, accounts));
        }
        List<Row<LedgerRecord.NewBucket>> created = rows(sorted, r -> r.createdBuckets());
        if (!created.isEmpty()) {
            statements.add(tx.preparedQuery("INSERT INTO credit_bucket (id, account_id, kind, remaining, expires_at, created_at) "
                            + "SELECT b.id, b.account_id, b.kind, b.remaining, b.expires_at, $6 "
                            + "FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::timestamptz[]) AS b(id, account_id, kind, remaining, expires_at)")
                    .execute(Tuple.tuple().addValue(created.stream().map(r -> r.item().id()).toArray(Long[]::new))
                            .addValue(created.stream().map(Row::accountId).toArray(String[]::new))
                            .addValue(created.stream().map(r -> r.item().kind().name()).toArray(String[]::new))
                            .addValue(created.stream().map(r -> r.item().remaining()).toArray(Long[]::new))
                            .addValue(created.stream().map(r -> at(r.item().expiresAt())).toArray(OffsetDateTime[]::new))
                            .addValue(at(sorted.get(0).now()))));
        }
        // bucket rows are written only under their accounts' locks, in (account, bucket) order: the one order of every path (README)
        List<Row<Map.Entry<Long, Long>>> taken = rows(sorted, r -> List.copyOf(r.takenFromBuckets().entrySet()));
        if (!taken.isEmpty()) {
            statements.add(tx.preparedQuery("UPDATE credit_bucket b SET remaining = b.remaining - d.amount "
                            + "FROM unnest($1::bigint[], $2::bigint[]) AS d(id, amount) WHERE b.id = d.id AND b.id = ANY($1)") // ANY: by key, never a scan
                    .execute(Tuple.of(taken.stream().map(r -> r.item().getKey()).toArray(Long[]::new),
                            taken.stream().map(r -> r.item().getValue()).toArray(Long[]::new))));
        }
        List<Row<LedgerEntry>> entries = rows(sorted, LedgerRecord::entries);
        if (!entries.isEmpty()) {
            statements.add(tx.preparedQuery("INSERT INTO ledger_entry (account_id, bucket_id, bucket, kind, amount, reason, reference, created_at, "
                            + "effective_at) SELECT e.account_id, e.bucket_id, e.bucket, e.kind, e.amount, e.reason, e.reference, $8, e.effective_at "
                            + "FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[], $9::timestamptz[]) "
                            + "WITH ORDINALITY AS e(account_id, bucket_id, bucket, kind, amount, reason, reference, effective_at, n) ORDER BY e.n")
                    .execute(Tuple.tuple()
                            .addValue(entries.stream().map(Row::accountId).toArray(String[]::new))
                            .addValue(entries.stream().map(r -> r.item().bucketId()).toArray(Long[]::new))
                            .addValue(entries.stream().map(r -> r.item().bucket().name()).toArray(String[]::new))
                            .addValue(entries.stream().map(r -> r.item().kind().name()).toArray(String[]::new))
                            .addValue(entries.stream().map(r -> r.item().amount()).toArray(Long[]::new))
                            .addValue(entries.stream().map(r -> r.item().reason()).toArray(String[]::new))
                            .addValue(entries.stream().map(r -> r.item().reference()).toArray(String[]::new))
                            .addValue(at(sorted.get(0).now()))
                            .addValue(entries.stream().map(r -> at(r.item().effectiveAt())).toArray(OffsetDateTime[]::new))));
        }
        List<Row<LedgerRecord.OverageUsage>> overage = rows(sorted, LedgerRecord::overage);
        if (!overage.isEmpty()) {
            statements.add(tx.preparedQuery("INSERT INTO overage_usage (account_id, credits, reference, created_at) "
                            + "SELECT o.account_id, o.credits, o.reference, $4 FROM unnest($1::text[], $2::bigint[], $3::text[]) AS o(account_id, credits, reference)")
                    .execute(Tuple.of(overage.stream().map(Row::accountId).toArray(String[]::new),
                            overage.stream().map(r -> r.item().credits()).toArray(Long[]::new),
                            overage.stream().map(r -> r.item().reference()).toArray(String[]::new), at(sorted.get(0).now()))));
        }
        List<OutgoingEvent<?>> outgoing = new ArrayList<>();
        for (AccountLedger l : ledgers) {
            l.record().announcements().forEach(a -> outgoing.add(event(l, a)));
        }
        LedgerAlerts.Checked checked = sorted.isEmpty() ? new LedgerAlerts.Checked(List.of(), null) : alerts.check(tx, sorted);
        if (checked.statement() != null) {
            statements.add(checked.statement());
        }
        outgoing.addAll(checked.events());
        outgoing.addAll(events);
        if (!outgoing.isEmpty()) {
            statements.add(outbox.addAll(boundary, outgoing));
        }
        return statements.isEmpty() ? Uni.createFrom().voidItem() : Uni.combine().all().unis(statements).discardItems(); // pipelined, in order
    }

    private record Row<T>(String accountId, T item) {
    }

    private static <T> List<Row<T>> rows(List<AccountLedger> ledgers, java.util.function.Function<LedgerRecord, List<T>> of) {
        List<Row<T>> out = new ArrayList<>();
        ledgers.forEach(l -> of.apply(l.record()).forEach(item -> out.add(new Row<>(l.accountId(), item))));
        return out;
    }

    /** The account columns a change sets: its terms (t), its subscription period (p), or both, each only where it changed. */
    private static final String ACCOUNTS = "UPDATE credit_account a SET "
            + changed("t", "overage_mode", "mode") + changed("t", "overage_unit_price_minor", "price") + changed("t", "overage_unit_credits", "unit")
            + changed("t", "overage_currency", "currency") + changed("t", "daily_credits", "daily") + changed("t", "daily_day", "day")
            + changed("t", "subscription_revision", "revision") + changed("t", "rollover_max_credits", "roll_credits")
            + changed("t", "rollover_max_percent", "roll_percent") + changed("t", "rollover_expires_after_days", "roll_days")
            + "updated_at = CASE WHEN u.t THEN $9::timestamptz ELSE a.updated_at END, " + changed("p", "period_start", "period_start") + changed("p", "period_end", "period_end")
            + changed("p", "credits_per_period", "credits") + "credit_period = CASE WHEN u.p THEN u.credit_period ELSE a.credit_period END "
            + "FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::bigint[], "
            + "$7::date[], $8::bigint[], $10::bigint[], $11::int[], $12::int[], $13::bool[], $14::bool[], $15::timestamptz[], $16::timestamptz[], "
            + "$17::bigint[], $18::text[]) AS u(account_id, mode, price, unit, currency, daily, day, revision, roll_credits, roll_percent, "
            + "roll_days, t, p, period_start, period_end, credits, credit_period) WHERE a.account_id = u.account_id AND a.account_id = ANY($1)";

    private static String changed(String flag, String column, String value) {
        return column + " = CASE WHEN u." + flag + " THEN u." + value + " ELSE a." + column + " END, ";
    }

    /** One UPDATE of the accounts whose terms or period changed (a renewal changes both: one row version, not two). */
    private Uni<?> accounts(SqlConnection tx, List<AccountLedger> ledgers) {
        List<AccountTerms> rows = ledgers.stream().map(AccountLedger::terms).toList();
        List<SubscriptionPeriod> periods = ledgers.stream().map(AccountLedger::appliedPeriod).toList();
        return tx.preparedQuery(ACCOUNTS)
                .execute(Tuple.tuple()
                        .addValue(rows.stream().map(AccountTerms::accountId).toArray(String[]::new))
                        .addValue(rows.stream().map(r -> r.overage().mode().name()).toArray(String[]::new))
                        .addValue(rows.stream().map(r -> r.overage().unitPriceMinor()).toArray(Long[]::new))
                        .addValue(rows.stream().map(r -> r.overage().unitCredits()).toArray(Long[]::new))
                        .addValue(rows.stream().map(r -> r.overage().currency() == null ? "" : r.overage().currency()).toArray(String[]::new))
                        .addValue(rows.stream().map(AccountTerms::dailyCredits).toArray(Long[]::new))
                        .addValue(rows.stream().map(AccountTerms::dailyDay).toArray(LocalDate[]::new))
                        .addValue(rows.stream().map(AccountTerms::subscriptionRevision).toArray(Long[]::new))
                        .addValue(at(ledgers.get(0).now()))
                        .addValue(rows.stream().map(r -> r.rollover() == null ? null : r.rollover().maxCredits()).toArray(Long[]::new))
                        .addValue(rows.stream().map(r -> r.rollover() == null ? null : r.rollover().maxPercent()).toArray(Integer[]::new))
                        .addValue(rows.stream().map(r -> r.rollover() == null ? null : r.rollover().expiresAfterDays()).toArray(Integer[]::new))
                        .addValue(ledgers.stream().map(AccountLedger::termsChanged).toArray(Boolean[]::new))
                        .addValue(periods.stream().map(p -> p != null).toArray(Boolean[]::new))
                        .addValue(periods.stream().map(p -> p == null ? null : at(p.periodStart())).toArray(OffsetDateTime[]::new))
                        .addValue(periods.stream().map(p -> p == null ? null : at(p.periodEnd())).toArray(OffsetDateTime[]::new))
                        .addValue(periods.stream().map(p -> p == null ? null : p.creditsPerPeriod()).toArray(Long[]::new))
                        .addValue(periods.stream().map(p -> p == null || p.creditPeriod() == null ? null : p.creditPeriod().name())
                                .toArray(String[]::new)));
    }

    private static OutgoingEvent<?> event(AccountLedger l, Announcement a) {
        String id = l.accountId();
        if (a.type() == Announcement.Type.ROLLED_OVER) {
            return OutgoingEvent.forAccount(Events.CREDITS_ROLLED_OVER, id, new CreditsRolledOver(id, a.credits(), a.forfeited(), a.cap(),
                    a.expiresAt(), a.reason(), a.balance(), a.at()), l.now());
        }
        return a.type() == Announcement.Type.GRANTED
                ? OutgoingEvent.forAccount(Events.CREDITS_GRANTED, id, new CreditsGranted(id, a.bucket(), a.credits(), a.reason(), a.expiresAt(),
                        a.balance(), a.at()), l.now())
                : OutgoingEvent.forAccount(Events.CREDITS_FORFEITED, id, new CreditsForfeited(id, a.bucket(), a.credits(), a.reason(),
                        a.balance(), a.at()), l.now());
    }
}
