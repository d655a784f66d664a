package dev.tally.credits.service;

import dev.tally.credits.domain.Entitlements;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The plan side of recent entitlement checks, kept in memory for {@code tally.entitlements.cache-ttl}
 * (default 1 s; 0 turns it off), so a product checking a feature on every request is answered from
 * memory most of the time. An account's entry is dropped when this replica applies one of its
 * subscription events; another replica's entry lasts at most the TTL (the check is then that much
 * behind the projection, well inside the answer's own max-age). Bounded: past {@code MAX_ENTRIES} it starts over.
 */
@ApplicationScoped
public class EntitlementCache {
    static final int MAX_ENTRIES = 200_000;
    private final long ttlNanos;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    private record Entry(Entitlements.Grant grant, long until) {
    }

    public EntitlementCache(@ConfigProperty(name = "tally.entitlements.cache-ttl", defaultValue = "1s") Duration ttl) {
        this.ttlNanos = ttl.toNanos();
    }

    /** The cached grant, or null when absent or older than the TTL. */
    public Entitlements.Grant get(String accountId) {
        Entry e = entries.get(accountId);
        return e == null || System.nanoTime() - e.until() > 0 ? null : e.grant();
    }

    public void put(String accountId, Entitlements.Grant grant) {
        if (ttlNanos <= 0) {
            return;
        }
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(accountId, new Entry(grant, System.nanoTime() + ttlNanos));
    }

    public void forget(Collection<String> accountIds) {
        accountIds.forEach(entries::remove);
    }
}
