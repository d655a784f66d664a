package dev.tally.plans;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.testsupport.TallyInfraResource;
import dev.tally.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * Every edit of the change policy's overrides publishes the whole list at the next version on the
 * plans topic, in the edit's transaction (an outbox row); version 1 was announced at start; a
 * refused edit publishes nothing.
 */
@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "plans"))
class ChangePolicyPublishingTest {
    @Inject
    Pool pool;

    @Test
    void anEditPublishesEveryOverrideAtTheNextVersionAndARefusedOneNothing() {
        assertEquals(1, count("SELECT count(*) FROM outbox_event WHERE type = 'change-policy.published' AND (payload->>'version')::bigint = 1"),
                "the first start announces version 1");
        long before = latest();
        admin("{\"fromCode\":\"pro\",\"toCode\":\"plus\",\"allowedTimings\":[\"END_OF_PERIOD\",\"IMMEDIATE\"],\"defaultTiming\":\"IMMEDIATE\"}", 200);
        assertEquals(before + 1, latest());
        assertEquals(before + 1, count("SELECT version FROM change_policy_version"));
        long overrides = count("SELECT count(*) FROM change_policy_override");
        assertEquals(overrides, count("SELECT jsonb_array_length(payload->'overrides') FROM outbox_event WHERE type = 'change-policy.published' "
                + "ORDER BY (payload->>'version')::bigint DESC LIMIT 1"), "the whole list, not the one edited");
        assertTrue(count("SELECT count(*) FROM outbox_event WHERE type = 'change-policy.published' AND message_key = 'change-policy' AND "
                + "(payload->>'version')::bigint = " + (before + 1) + " AND payload->'overrides' @> "
                + "'[{\"fromCode\":\"pro\",\"toCode\":\"plus\",\"defaultTiming\":\"IMMEDIATE\"}]'::jsonb") == 1);
        admin("{\"direction\":\"DOWNGRADE\",\"allowedTimings\":[\"END_OF_PERIOD\"],\"defaultTiming\":\"IMMEDIATE\"}", 400);
        assertEquals(before + 1, latest(), "a refused edit publishes nothing");
    }

    private long latest() {
        return count("SELECT coalesce(max((payload->>'version')::bigint), 0) FROM outbox_event WHERE type = 'change-policy.published'");
    }

    private long count(String sql) {
        return pool.query(sql).execute().map(rows -> rows.iterator().next().getLong(0)).await().indefinitely();
    }

    private static void admin(String body, int status) {
        given().header("Authorization", TestTokens.bearer(TestTokens.admin())).contentType(ContentType.JSON).body(body)
                .put("/admin/change-policies").then().statusCode(status);
    }
}
