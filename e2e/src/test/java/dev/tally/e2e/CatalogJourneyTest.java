package dev.tally.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasItems;

import dev.tally.e2e.Suite.Service;
import dev.tally.testsupport.TestTokens;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** plans-service publishes; subscriptions-service keeps its read model from the plans topic. */
class CatalogJourneyTest {

    @Test
    void theDemoCatalogAndEveryNewVersionReachSubscriptionsThroughKafkaExactlyOnce() {
        Suite suite = Suite.get();
        String token = TestTokens.bearer(TestTokens.admin());
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().baseUri(suite.url(Service.SUBSCRIPTIONS))
                .header("Authorization", token).get("/catalog/plans")
                .then().statusCode(200).body("code", hasItems("free", "plus", "pro", "enterprise")));

        String code = "e2e-" + UUID.randomUUID().toString().substring(0, 6);
        String draft = """
                {"code":"%s","name":"E2E","rank":%d,"selfServe":true,"defaultFree":false,
                 "prices":[{"interval":"MONTH","amountMinor":%d,"currency":"USD"}],"creditsPerPeriod":10}""";
        int rank = 5000 + Math.abs(code.hashCode() % 1000);
        given().baseUri(suite.url(Service.PLANS)).header("Authorization", token).contentType(ContentType.JSON)
                .body(draft.formatted(code, rank, 700)).post("/admin/plans").then().statusCode(201);
        given().baseUri(suite.url(Service.PLANS)).header("Authorization", token)
                .header("Idempotency-Key", "publish-" + code).post("/admin/plans/{c}/publish", code).then().statusCode(201);
        given().baseUri(suite.url(Service.PLANS)).header("Authorization", token)
                .header("Idempotency-Key", "publish-" + code).post("/admin/plans/{c}/publish", code)
                .then().statusCode(201).header("Idempotent-Replayed", "true");
        given().baseUri(suite.url(Service.PLANS)).header("Authorization", token).contentType(ContentType.JSON)
                .body(draft.formatted(code, rank, 900)).put("/admin/plans/{c}/draft", code).then().statusCode(200);
        given().baseUri(suite.url(Service.PLANS)).header("Authorization", token).post("/admin/plans/{c}/publish", code)
                .then().statusCode(201);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().baseUri(suite.url(Service.SUBSCRIPTIONS))
                .header("Authorization", token).get("/catalog/plans/{c}/versions", code)
                .then().statusCode(200).body("version", contains(1, 2)).body("collect { it.prices[0].amountMinor }", contains(700, 900)));
    }
}
