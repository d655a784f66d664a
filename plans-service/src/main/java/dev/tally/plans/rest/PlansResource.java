package dev.tally.plans.rest;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The public catalog: plans for sale, by rank. */
@Path("/plans")
public class PlansResource {
    private final Pool pool;

    public PlansResource(Pool pool) {
        this.pool = pool;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<String> forSale() {
        return pool.query("SELECT COALESCE(json_agg(snapshot ORDER BY rank), '[]'::json)::text FROM plan_version v "
                        + "WHERE status = 'PUBLISHED' AND version = (SELECT max(version) FROM plan_version WHERE code = v.code)")
                .execute()
                .map(rows -> rows.iterator().next().getString(0));
    }
}
