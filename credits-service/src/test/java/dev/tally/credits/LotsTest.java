package dev.tally.credits;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.tally.testsupport.TallyInfraResource;
import dev.tally.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** GET /accounts/{id}/credits/lots: each lot holding credits with its expiry, soonest first, and the open holds. */
@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "credits"))
class LotsTest {

    private static RequestSpecification admin() {
        return given().header("Authorization", TestTokens.bearer(TestTokens.admin())).contentType(ContentType.JSON);
    }

    @Test
    void lotsListWhatHoldsCreditsWithItsExpiryAndTheOpenHolds() {
        String acc = "acc-" + UUID.randomUUID();
        Instant soon = Instant.now().plus(10, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        admin().body("{\"credits\":40,\"reason\":\"sorry\",\"expiresAt\":\"" + soon + "\"}")
                .post("/accounts/{id}/credits/grants", acc).then().statusCode(201);
        admin().body("{\"credits\":25,\"reason\":\"welcome\"}").post("/accounts/{id}/credits/grants", acc).then().statusCode(201);
        admin().body("{\"amount\":15,\"ttlSeconds\":600,\"reason\":\"render\"}").post("/accounts/{id}/credits/holds", acc)
                .then().statusCode(201);

        given().header("Authorization", TestTokens.bearer(TestTokens.account(acc))).get("/accounts/{id}/credits/lots", acc)
                .then().statusCode(200)
                .body("lots.size()", equalTo(2))
                .body("lots[0].bucket", equalTo("PROMO")).body("lots[0].remaining", equalTo(40))
                .body("lots[0].expiresAt", equalTo(soon.toString()))
                .body("lots[1].remaining", equalTo(25)).body("lots[1].expiresAt", nullValue())
                .body("openHolds.size()", equalTo(1)).body("openHolds[0].credits", equalTo(15))
                .body("openHolds[0].reason", equalTo("render"));
    }

    @Test
    void anotherAccountsLotsAreRefused() {
        given().header("Authorization", TestTokens.bearer(TestTokens.account("acc-a"))).get("/accounts/{id}/credits/lots", "acc-b")
                .then().statusCode(403);
    }
}
