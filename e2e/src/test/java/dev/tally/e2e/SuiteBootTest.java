package dev.tally.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.tally.e2e.Suite.Service;
import dev.tally.testsupport.TestTokens;
import org.junit.jupiter.api.Test;

/** The four packaged services start as their own processes and report ready against the real infrastructure. */
class SuiteBootTest {

    @Test
    void everyServiceIsReadyAndAnswersFromItsOwnDatabase() {
        Suite suite = Suite.get();
        for (Service s : Service.values()) {
            given().baseUri(suite.url(s)).get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        }
        given().baseUri(suite.url(Service.CREDITS)).header("Authorization", TestTokens.bearer(TestTokens.service()))
                .get("/accounts/{id}/credits", "acc-e2e").then().statusCode(200).body("available", equalTo(0));
    }
}
