package dev.tally.credits;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.contracts.Events;
import dev.tally.contracts.subscriptions.TopupPurchased;
import dev.tally.testsupport.TallyInfraResource;
import dev.tally.testsupport.TestEvents;
import dev.tally.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "credits"))
class HoldsTest {
    @Inject
    ObjectMapper json;

    private static RequestSpecification service() {
        return given().header("Authorization", TestTokens.bearer(TestTokens.service())).contentType(ContentType.JSON);
    }

    private String funded(long credits) throws Exception {
        String acc = "acc-" + UUID.randomUUID();
        TestEvents.publish(Events.TOPUP_PURCHASED, acc, acc, json.writeValueAsString(
                new TopupPurchased(UUID.randomUUID(), acc, "pack-500", credits, 500, "USD", Instant.now())));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> service().get("/accounts/{id}/credits", acc)
                .then().body("available", equalTo((int) credits)));
        return acc;
    }

    private String hold(String acc, long amount, long ttl) {
        return service().body("{\"amount\":" + amount + ",\"ttlSeconds\":" + ttl + ",\"reason\":\"render\"}")
                .post("/accounts/{id}/credits/holds", acc).then().statusCode(201).extract().path("id");
    }

    @Test
    void aHoldReservesCreditsSoDebitsCannotSpendThem() throws Exception {
        String acc = funded(100);
        hold(acc, 70, 600);
        service().get("/accounts/{id}/credits", acc).then().body("available", equalTo(30)).body("held", equalTo(70));
        service().body("{\"amount\":31,\"reason\":\"x\"}").post("/accounts/{id}/credits/debits", acc)
                .then().statusCode(402).body("code", equalTo("insufficient_credits"));
        service().body("{\"amount\":31,\"ttlSeconds\":60,\"reason\":\"x\"}").post("/accounts/{id}/credits/holds", acc)
                .then().statusCode(402);
    }

    @Test
    void capturingPartOfAHoldSpendsThatMuchAndFreesTheRest() throws Exception {
        String acc = funded(100);
        String id = hold(acc, 60, 600);
        service().body("{\"amount\":45}").post("/accounts/{id}/credits/holds/{h}/capture", acc, id)
                .then().statusCode(200).body("takenFrom[0].bucket", equalTo("TOPUP")).body("takenFrom[0].credits", equalTo(45));
        service().get("/accounts/{id}/credits", acc).then().body("available", equalTo(55)).body("held", equalTo(0));
        service().body("{\"amount\":1}").post("/accounts/{id}/credits/holds/{h}/capture", acc, id)
                .then().statusCode(409).body("code", equalTo("hold_closed"));
    }

    @Test
    void aReleasedHoldFreesItsCreditsAndCannotBeCaptured() throws Exception {
        String acc = funded(50);
        String id = hold(acc, 50, 600);
        service().post("/accounts/{id}/credits/holds/{h}/release", acc, id).then().statusCode(200).body("status", equalTo("RELEASED"));
        service().get("/accounts/{id}/credits", acc).then().body("available", equalTo(50));
        service().body("{\"amount\":5}").post("/accounts/{id}/credits/holds/{h}/capture", acc, id).then().statusCode(409);
    }

    @Test
    void anExpiredHoldReservesNothingAndCannotBeCaptured() throws Exception {
        String acc = funded(40);
        String id = hold(acc, 40, 60);
        service().body("{\"amount\":41}").post("/accounts/{id}/credits/holds/{h}/capture", acc, id)
                .then().statusCode(422).body("code", equalTo("capture_exceeds_hold"));
        given().header("Authorization", TestTokens.bearer(TestTokens.admin())).contentType(ContentType.JSON)
                .body("{\"by\":\"PT2M\"}").post("/admin/clock/advance").then().statusCode(200);
        try {
            service().get("/accounts/{id}/credits", acc).then().body("available", equalTo(40)).body("held", equalTo(0));
            service().body("{\"amount\":10}").post("/accounts/{id}/credits/holds/{h}/capture", acc, id)
                    .then().statusCode(409).body("code", equalTo("hold_expired"));
        } finally {
            given().header("Authorization", TestTokens.bearer(TestTokens.admin())).delete("/admin/clock").then().statusCode(200);
        }
    }
}
