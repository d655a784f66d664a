package dev.tally.subscriptions.client;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.util.Map;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * credits-service's balance, read for a preview the user is waiting on. The caller's own bearer
 * token is passed on (org.eclipse.microprofile.rest.client.propagateHeaders), so the read is
 * authorised exactly as if the caller had made it.
 */
@RegisterRestClient(configKey = "credits")
@RegisterClientHeaders
public interface CreditsClient {

    record BalanceView(String accountId, long available, long held, Map<String, Long> byBucket) {
        public long bucket(String name) {
            return byBucket == null ? 0 : byBucket.getOrDefault(name, 0L);
        }
    }

    @GET
    @Path("/accounts/{accountId}/credits")
    Uni<BalanceView> balance(@PathParam("accountId") String accountId);

    /** What a usage close takes and charges: the next one (its {@code at} null when it is the next period's) or this period's, once made. */
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    record CloseView(java.time.Instant at, java.time.Instant periodEnd, long credits, long amountMinor, String currency,
                     java.time.Instant closedAt) {
    }

    /** The part of credits-service's usage so far that upcoming charges need. */
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    record UsageView(String accountId, java.time.Instant periodEnd, CloseView nextClose, CloseView lastClose) {
    }

    @GET
    @Path("/accounts/{accountId}/credits/usage")
    Uni<UsageView> usage(@PathParam("accountId") String accountId);
}
