package dev.tally.plans;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.tally.testsupport.TallyInfraResource;
import dev.tally.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Catalog writes never change what is for sale in place, and prices and grants are bounded. */
@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "plans"))
class CatalogWritesTest {

    private static RequestSpecification admin() {
        return given().header("Authorization", TestTokens.bearer(TestTokens.admin())).contentType(ContentType.JSON);
    }

    private static String pack(String code, long credits, String amountMinor) {
        return "{\"code\":\"" + code + "\",\"name\":\"Pack\",\"credits\":" + credits + ",\"amountMinor\":" + amountMinor
                + ",\"currency\":\"USD\"}";
    }

    private static String code() {
        return "pack-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void publishingAPackUnderACodeThatExistsIs409AndLeavesThePackAsItWas() {
        String code = code();
        admin().body(pack(code, 100, "500")).post("/admin/credit-packs").then().statusCode(201);
        admin().body(pack(code, 100000, "1")).post("/admin/credit-packs").then().statusCode(409)
                .contentType("application/problem+json").body("code", equalTo("credit_pack_exists"))
                .body("errors[0].field", equalTo("code"));
        given().get("/credit-packs").then().statusCode(200)
                .body("find { it.code == '" + code + "' }.amountMinor", equalTo(500))
                .body("find { it.code == '" + code + "' }.credits", equalTo(100));
        admin().post("/admin/credit-packs/{code}/retire", code).then().statusCode(200);
        admin().body(pack(code, 100, "500")).post("/admin/credit-packs").then().statusCode(409)
                .body("code", equalTo("credit_pack_exists"));
        given().get("/credit-packs").then().body("code", not(hasItem(code)));
    }

    @Test
    void aPriceOrAGrantBeyondTheBoundIsRefusedNamingTheFieldAndNothingIsPublished() {
        String code = code();
        admin().body(pack(code, 100, "9223372036854775807")).post("/admin/credit-packs").then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("invalid_request"))
                .body("errors.field", containsInAnyOrder("amountMinor")).body("errors[0].code", equalTo("too_large"));
        admin().body(pack(code, 1_000_000_001L, "100")).post("/admin/credit-packs").then().statusCode(400)
                .body("errors.field", containsInAnyOrder("credits"));
        admin().body(pack(code, 100, "1.5")).post("/admin/credit-packs").then().statusCode(400)
                .body("errors.field", containsInAnyOrder("amountMinor"));
        admin().body(pack(code, 100, "\"100\"")).post("/admin/credit-packs").then().statusCode(400)
                .body("errors.field", containsInAnyOrder("amountMinor"));
        admin().body(pack(code, 100, "1000000000")).post("/admin/credit-packs").then().statusCode(201);
        given().get("/credit-packs").then().body("find { it.code == '" + code + "' }.amountMinor", equalTo(1_000_000_000));
        String plan = "big-" + UUID.randomUUID().toString().substring(0, 6);
        admin().body("""
                {"code":"%s","name":"Big","rank":%d,"selfServe":true,"defaultFree":false,
                 "prices":[{"interval":"MONTH","amountMinor":10000000000,"currency":"USD"}],"creditsPerPeriod":1}"""
                .formatted(plan, 5000 + Math.abs(plan.hashCode() % 90000)))
                .post("/admin/plans").then().statusCode(400).body("errors.field", containsInAnyOrder("prices[0].amountMinor"));
        given().get("/plans/{code}", plan).then().statusCode(404).body("errors[0].field", equalTo("code"));
    }

    @Test
    void aPlanOrPolicyThatIsNotThereNamesTheParameter() {
        given().get("/change-policy?from=nope-x&fromInterval=MONTH&to=pro&toInterval=MONTH").then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("plan_not_found"))
                .body("errors[0].field", equalTo("from"));
        given().get("/change-policy?from=pro&fromInterval=MONTH&to=pro&toInterval=MONTH").then().statusCode(422)
                .body("code", equalTo("same_plan")).body("errors.field", containsInAnyOrder("to", "toInterval"));
        given().get("/plans/{code}", "pro\"x").then().statusCode(400).body("errors[0].field", equalTo("code"));
    }
}
