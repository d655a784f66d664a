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
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false)
class BrokerOutageTest {

    @Inject
    Pool pool;

    @Test
    void eventsCommittedWhileTheBrokerIsDownArePublishedAndAppliedWhenItReturns() throws Exception {
        assumeTrue(TestKafka.get().isEmbedded(), "needs the embedded broker to take it down");
        String acc = "acc-" + UUID.randomUUID();
        TestKafka.get().stopBroker();
        try {
            for (int i = 0; i < 10; i++) {
                given().header("Authorization", TestTokens.bearer(TestTokens.account(acc))).contentType(ContentType.JSON)
                        .body("{\"text\":\"during outage " + i + "\",\"amount\":1}").post("/accounts/{id}/notes", acc)
                        .then().statusCode(201);
            }
            Thread.sleep(3_000);
            assertEquals(10, count("SELECT count(*) FROM outbox_event WHERE sent_at IS NULL AND subject = '" + acc + "'"),
                    "nothing can be sent while the broker is down; the rows wait");
        } finally {
            TestKafka.get().startBroker();
        }
        await().atMost(Duration.ofSeconds(90)).until(() ->
                count("SELECT count(*) FROM applied_command WHERE account_id = '" + acc + "'") == 10);
        // the relay marks a batch sent after its acks, so a consumer may apply the events before that commit
        await().atMost(Duration.ofSeconds(60)).until(() ->
                count("SELECT count(*) FROM outbox_event WHERE sent_at IS NULL AND subject = '" + acc + "'") == 0);
    }

    private long count(String sql) {
        return pool.query(sql).execute().await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }
}
