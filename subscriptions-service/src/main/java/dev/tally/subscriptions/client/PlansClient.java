package dev.tally.subscriptions.client;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import java.util.Set;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** plans-service's answer to "may this account move from A to B, and when?" (a read a user waits on). */
@RegisterRestClient(configKey = "plans")
public interface PlansClient {

    record ChangePolicyView(String direction, Set<String> allowedTimings, String defaultTiming, String access, String decidedBy) {
    }

    @GET
    @Path("/change-policy")
    Uni<ChangePolicyView> policy(@QueryParam("from") String from, @QueryParam("fromInterval") String fromInterval,
                                 @QueryParam("to") String to, @QueryParam("toInterval") String toInterval);
}
