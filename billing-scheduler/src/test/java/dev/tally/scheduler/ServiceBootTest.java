package dev.tally.scheduler;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.tally.testsupport.TallyInfraResource;
import dev.tally.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The service boots against a real PostgreSQL and Kafka and answers from its own database. */
@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "scheduler"))
class ServiceBootTest {

    @Test
    void itAnswersFromItsOwnDatabase() {
        given().header("Authorization", TestTokens.bearer(TestTokens.admin())).get("/admin/timers/summary")
                .then().statusCode(200).body("pending", equalTo(0));
    }

    @Test
    void itIsReadyAgainstItsDatabaseAndTheBroker() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }
}
