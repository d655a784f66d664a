package dev.tally.web;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Plan & Credits page with Stripe on, against stubbed services: a free account subscribes
 * through Checkout and opens the portal; a refusal is shown with its detail and code; the token
 * never reaches the page.
 */
@QuarkusTest
@TestProfile(StripeServicesStub.class)
class PlanPageWithStripeTest {
    private static final String TOKEN = "header.eyJzdWIiOiJhY2MtMSJ9.signature";
    private static final String PROBLEM = "application/problem+json";

    private static RequestSpecification signedIn() {
        return given().redirects().follow(false).cookie(Session.ACCOUNT, "acc-1").cookie(Session.TOKEN, TOKEN);
    }

    @BeforeEach
    void catalogAndAFreeAccount() {
        var s = StripeServicesStub.SERVER;
        s.resetAll();
        s.stubFor(get("/accounts/acc-1/subscription").withHeader("Authorization", equalTo("Bearer " + TOKEN)).willReturn(okJson(
                "{\"accountId\":\"acc-1\",\"planCode\":\"free\",\"planVersion\":1,\"interval\":\"MONTH\",\"status\":\"ACTIVE\","
                        + "\"periodStart\":\"2027-01-01T00:00:00Z\",\"periodEnd\":\"2027-02-01T00:00:00Z\",\"cancelAtPeriodEnd\":false,"
                        + "\"features\":[],\"seats\":1,\"revision\":1}")));
        s.stubFor(get("/plans").willReturn(okJson("[{\"code\":\"free\",\"version\":1,\"name\":\"Free\",\"rank\":0,\"selfServe\":true,"
                + "\"defaultFree\":true,\"prices\":[],\"features\":[],\"seatsIncluded\":1,\"dailyCredits\":100},"
                + "{\"code\":\"plus\",\"version\":1,\"name\":\"Plus\",\"rank\":10,\"selfServe\":true,\"defaultFree\":false,"
                + "\"prices\":[{\"interval\":\"MONTH\",\"amountMinor\":1000,\"currency\":\"USD\"}],\"creditsPerPeriod\":1000,"
                + "\"creditPeriod\":\"MONTH\",\"features\":[\"pro-models\"],\"seatsIncluded\":1}]")));
        s.stubFor(get(urlPathEqualTo("/change-policy")).willReturn(okJson(
                "{\"direction\":\"UPGRADE\",\"allowedTimings\":[\"IMMEDIATE\"],\"defaultTiming\":\"IMMEDIATE\",\"access\":\"SELF_SERVE\"}")));
        s.stubFor(get("/credit-packs").willReturn(okJson(
                "[{\"code\":\"pack-500\",\"name\":\"500 credits\",\"credits\":500,\"amountMinor\":500,\"currency\":\"USD\"}]")));
        s.stubFor(get("/accounts/acc-1/credits").willReturn(okJson("{\"available\":100,\"held\":0,\"byBucket\":{\"DAILY\":100}}")));
        s.stubFor(get("/accounts/acc-1/credits/lots").willReturn(okJson("{\"lots\":[],\"openHolds\":[]}")));
        s.stubFor(get(urlPathEqualTo("/accounts/acc-1/credits/ledger")).willReturn(okJson("[]")));
        s.stubFor(get(urlPathEqualTo("/accounts/acc-1/charges")).willReturn(okJson("[]")));
        s.stubFor(get("/accounts/acc-1/customer-balance").willReturn(okJson("{\"amountMinor\":0,\"currency\":\"USD\"}")));
    }

    @Test
    void aFreeAccountSubscribesThroughCheckoutAndOpensThePortal() {
        signedIn().get("/plan").then().statusCode(200)
                .body(containsString("action=\"/plan/checkout\" id=\"checkout-plus-MONTH\""))
                .body(containsString("id=\"buy-pack-500\"")).body(containsString("id=\"portal\""))
                .body(not(containsString("id=\"change-plus-MONTH\""))).body(not(containsString(TOKEN)));

        StripeServicesStub.SERVER.stubFor(post("/accounts/acc-1/checkout-sessions")
                .willReturn(okJson("{\"id\":\"cs_test_1\",\"url\":\"https://checkout.stripe.com/c/pay/cs_test_1\"}")));
        signedIn().formParam("planCode", "plus").formParam("interval", "MONTH").formParam("formKey", "k-1")
                .post("/plan/checkout").then().statusCode(303).header("Location", "https://checkout.stripe.com/c/pay/cs_test_1");
        StripeServicesStub.SERVER.verify(postRequestedFor(urlEqualTo("/accounts/acc-1/checkout-sessions"))
                .withHeader("Idempotency-Key", equalTo("k-1"))
                .withRequestBody(equalToJson("{\"planCode\":\"plus\",\"interval\":\"MONTH\",\"successUrl\":\"https://billing.example.com/plan\","
                        + "\"cancelUrl\":\"https://billing.example.com/plan\"}")));

        StripeServicesStub.SERVER.stubFor(post("/accounts/acc-1/portal-sessions")
                .willReturn(okJson("{\"url\":\"https://billing.stripe.com/p/session/test_1\"}")));
        signedIn().post("/plan/portal").then().statusCode(303).header("Location", "https://billing.stripe.com/p/session/test_1");
    }

    @Test
    void aRefusalComesBackToThePageWithItsDetailAndCode() {
        StripeServicesStub.SERVER.stubFor(post("/accounts/acc-1/checkout-sessions").willReturn(aResponse().withStatus(422)
                .withHeader("Content-Type", PROBLEM)
                .withBody("{\"code\":\"stripe_price_missing\",\"detail\":\"plus has no Stripe price for MONTH\"}")));
        String flash = signedIn().formParam("planCode", "plus").formParam("interval", "MONTH").post("/plan/checkout")
                .then().statusCode(303).header("Location", containsString("/plan")).extract().cookie(Session.FLASH);
        signedIn().cookie(Session.FLASH, flash).get("/plan").then().statusCode(200)
                .body(containsString("class=\"flash error\">plus has no Stripe price for MONTH (stripe_price_missing)</p>"));
    }

    @Test
    void withoutASignedInAccountThePageSendsToSignIn() {
        given().redirects().follow(false).get("/plan").then().statusCode(303).header("Location", containsString("/"));
    }
}
