package dev.tally.backbone;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tally.testsupport.TallyInfraResource;
import dev.tally.testsupport.TestKafka;
import dev.tally.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** With the broker down the service stays ready and takes writes; the outbox's own health and metrics show the wait. */
@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false)
class BrokerDownHealthTest {

    @Inject
    Pool pool;

    @Test
    void withTheBrokerDownTheServiceStaysReadyAndTheOutboxHealthShowsTheBacklog() {
        assumeTrue(TestKafka.get().isEmbedded(), "needs the embedded broker to take it down");
        String acc = "acc-" + UUID.randomUUID();
        await().atMost(Duration.ofSeconds(30)).until(() -> outbox().getString("status").equals("UP"));
        TestKafka.get().stopBroker();
        try {
            given().header("Authorization", TestTokens.bearer(TestTokens.account(acc))).contentType(ContentType.JSON)
                    .body("{\"text\":\"while the broker is away\",\"amount\":1}").post("/accounts/{id}/notes", acc)
                    .then().statusCode(201);
            await().atMost(Duration.ofSeconds(30)).until(() -> outbox().getString("status").equals("DOWN"));
            JsonPath health = outbox();
            assertEquals(true, health.getLong("checks[0].data.backlog") >= 1, health.prettify());
            assertEquals(true, health.getLong("checks[0].data.oldestUnsentAgeSeconds") >= 2, health.prettify());
            await().atMost(Duration.ofSeconds(10)).until(() -> metric("tally_outbox_backlog") >= 1
                    && metric("tally_outbox_oldest_unsent_age_seconds") >= 1);
            for (String path : new String[] {"/q/health/ready", "/q/health/live"}) {
                given().get(path).then().statusCode(200); // the outbox is no part of readiness or liveness
            }
            given().header("Authorization", TestTokens.bearer(TestTokens.account(acc))).get("/accounts/{id}/notes", acc)
                    .then().statusCode(200);
            assertEquals(1, count("SELECT count(*) FROM outbox_event WHERE sent_at IS NULL AND subject = '" + acc + "'"));
        } finally {
            TestKafka.get().startBroker();
        }
        await().atMost(Duration.ofSeconds(90)).until(() ->
                count("SELECT count(*) FROM outbox_event WHERE sent_at IS NULL AND subject = '" + acc + "'") == 0);
        await().atMost(Duration.ofSeconds(30)).until(() -> outbox().getString("status").equals("UP")
                && outbox().getLong("checks[0].data.backlog") == 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> metric("tally_outbox_backlog") == 0);
    }

    private static JsonPath outbox() {
        return given().get("/q/health/group/outbox").then().extract().jsonPath();
    }

    private static double metric(String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(given().get("/q/metrics").asString());
        return m.find() ? Double.parseDouble(m.group(2)) : -1;
    }

    private long count(String sql) {
        return pool.query(sql).execute().await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }
}
