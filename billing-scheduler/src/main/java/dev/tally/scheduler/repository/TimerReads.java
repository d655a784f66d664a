package dev.tally.scheduler.repository;

import dev.tally.scheduler.entity.TimerEntity;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/** The admin reads of the timers (Panache entity {@link TimerEntity}). */
@ApplicationScoped
public class TimerReads implements PanacheRepositoryBase<TimerEntity, Long> {

    /** Counts of the timers: pending, fired, due at {@code now}, and the oldest due one's instant (null when none). */
    public record Counts(long pending, long fired, long due, Instant oldestDue) {
    }

    @WithSession
    public Uni<List<TimerRepository.Timer>> forAccount(String accountId) {
        return list("accountId", Sort.by("dueAt"), accountId).map(rows -> rows.stream()
                .map(t -> new TimerRepository.Timer(t.id, t.subscriptionId, t.accountId, t.kind, t.dueAt, t.periodStart, t.periodEnd,
                        t.firedAt))
                .toList());
    }

    @WithSession
    public Uni<Counts> counts(Instant now) {
        return getSession().flatMap(s -> s.createSelectionQuery("select count(*) filter (where t.firedAt is null), "
                        + "count(*) filter (where t.firedAt is not null), count(*) filter (where t.firedAt is null and t.dueAt <= ?1), "
                        + "min(t.dueAt) filter (where t.firedAt is null and t.dueAt <= ?1) from TimerEntity t", Object[].class)
                .setParameter(1, now).getSingleResult())
                .map(r -> new Counts((Long) r[0], (Long) r[1], (Long) r[2], (Instant) r[3]));
    }
}
