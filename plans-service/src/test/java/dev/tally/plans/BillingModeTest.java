package dev.tally.plans;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.tally.testsupport.TallyInfraResource;
import dev.tally.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A plan's billing mode is a term of its version: in advance unless the draft says in arrears. */
@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "plans"))
class BillingModeTest {

    private static RequestSpecification admin() {
        return given().header("Authorization", TestTokens.bearer(TestTokens.admin())).contentType(ContentType.JSON);
    }

    private static String draft(String code, int rank, String mode, boolean defaultFree) {
        return """
                {"code":"%s","name":"Kong","rank":%d,"selfServe":true,"defaultFree":%s,
                 "prices":[{"interval":"MONTH","amountMinor":3000,"currency":"USD"}],"creditsPerPeriod":100%s}"""
                .formatted(code, rank, defaultFree, mode == null ? "" : ",\"billingMode\":\"" + mode + "\"");
    }

    @Test
    void aVersionKeepsTheBillingModeItWasPublishedWithAndADraftWithoutOneBillsInAdvance() {
        String code = "kong-" + UUID.randomUUID().toString().substring(0, 8);
        int rank = 20000 + Math.abs(code.hashCode() % 70000);
        admin().body(draft(code, rank, "IN_ARREARS", false)).post("/admin/plans").then().statusCode(201);
        admin().post("/admin/plans/{code}/publish", code).then().statusCode(201).body("billingMode", equalTo("IN_ARREARS"));
        admin().body(draft(code, rank, null, false)).put("/admin/plans/{code}/draft", code).then().statusCode(200);
        admin().post("/admin/plans/{code}/publish", code).then().statusCode(201).body("version", equalTo(2));
        given().get("/plans/{code}/versions/1", code).then().statusCode(200).body("billingMode", equalTo("IN_ARREARS"));
        given().get("/plans/{code}", code).then().statusCode(200).body("billingMode", equalTo("IN_ADVANCE"));
        given().get("/plans").then().body("find { it.code == 'free' }.billingMode", equalTo("IN_ADVANCE"));
    }

    @Test
    void anUnknownModeOrAFreePlanInArrearsIsRefusedNamingTheField() {
        String code = "kong-" + UUID.randomUUID().toString().substring(0, 8);
        admin().body(draft(code, 1, "LATER", false)).post("/admin/plans").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("billingMode"));
        admin().body(draft(code, 20000 + Math.abs(code.hashCode() % 70000), "IN_ARREARS", true)).post("/admin/plans").then()
                .statusCode(400).body("errors.code", hasItem("free_plan_in_arrears")).body("errors.field", hasItem("billingMode"));
        given().get("/plans/{code}", code).then().statusCode(404);
    }

    @Test
    void theOpenApiDescribesTheBillingMode() {
        given().get("/q/openapi?format=json").then().statusCode(200).body(containsString("IN_ARREARS"));
    }
}
