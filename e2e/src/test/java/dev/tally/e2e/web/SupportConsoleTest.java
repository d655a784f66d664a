package dev.tally.e2e.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.e2e.Suite;
import dev.tally.e2e.Suite.Service;
import dev.tally.testsupport.TestTokens;
import io.restassured.http.ContentType;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.support.ui.Select;

/**
 * The support console in headless chromium: find an account, read its ledger, grant promo credits,
 * move its plan with a reason. Also takes the README's screenshots of both pages
 * ({@code -Dtally.web.screenshots=docs/img} writes them there; by default into e2e/target/screenshots).
 */
class SupportConsoleTest {

    @Test
    void supportFindsAnAccountSeesItsLedgerGrantsPromoCreditsAndMovesItsPlan() {
        Suite suite = Suite.get();
        String web = WebApp.url();
        String acc = "acc-support-" + UUID.randomUUID();
        String token = TestTokens.bearer(TestTokens.account(acc));
        given().baseUri(suite.url(Service.SUBSCRIPTIONS)).header("Authorization", token).get("/accounts/{id}/subscription", acc)
                .then().statusCode(200);
        given().baseUri(suite.url(Service.SUBSCRIPTIONS)).header("Authorization", token).contentType(ContentType.JSON)
                .header("Idempotency-Key", "buy-" + acc).body("{\"packCode\":\"pack-500\"}").post("/accounts/{id}/topups", acc)
                .then().statusCode(201);
        try (Browser browser = new Browser()) {
            browser.open(web + "/");
            browser.submit("#support-sign-in");
            browser.find("#find-account").sendKeys(acc);
            browser.submit("#find button");
            assertTrue(browser.text("#support-plan").startsWith("free"), browser.page());
            browser.eventually(() -> browser.text("#support-ledger").contains("TOPUP GRANT 500"), "the top-up's ledger entry");

            browser.find("#grant input[name=credits]").sendKeys("25");
            browser.find("#grant input[name=reason]").sendKeys("goodwill, ticket 4711");
            browser.submit("#grant button");
            assertEquals("Granted 25 promo credits.", browser.text("#flash"));
            assertTrue(browser.text("#support-ledger").contains("PROMO GRANT 25 goodwill, ticket 4711"), browser.text("#support-ledger"));

            new Select(browser.find("#move-plan select[name=plan]")).selectByValue("pro:MONTH");
            new Select(browser.find("#move-plan select[name=timing]")).selectByValue("IMMEDIATE");
            browser.find("#move-plan input[name=reason]").sendKeys("trial of Pro, ticket 4712");
            browser.submit("#move-plan button");
            assertTrue(browser.text("#flash").startsWith("Moved to pro (IMMEDIATE"), browser.text("#flash"));
            assertTrue(browser.text("#support-plan").startsWith("pro"), browser.page());
            assertTrue(browser.text("#history").contains("trial of Pro, ticket 4712"), browser.text("#history"));
            browser.eventually(() -> browser.text("#support-ledger").contains("SUBSCRIPTION GRANT 5000"), "Pro's credits");
            browser.eventually(() -> browser.text("#support-credits").contains("SUBSCRIPTION 5000"), "Pro's lot");
            assertTrue(browser.text("#support-credits").contains("PROMO 25 never"), browser.text("#support-credits"));
            assertTrue(browser.text("#timers").contains("period-end"), browser.text("#timers"));
            browser.screenshot(screenshots().resolve("support-console.png"));
            browser.open(web + "/support/clock");
            assertEquals(4, browser.all("#clocks tr").size(), browser.page());
            assertTrue(browser.text("#clocks").contains("subscriptions"), browser.text("#clocks"));
            assertTrue(browser.text("#clocks").matches("(?s).*credits \\d+ \\w{3} \\d{4} \\d{2}:\\d{2} UTC.*"), browser.text("#clocks"));

            PlanAndCreditsPageTest.signIn(browser, acc);
            assertEquals("Pro", browser.text("#plan-name"));
            browser.screenshot(screenshots().resolve("plan-and-credits.png"));
        }
    }

    private static Path screenshots() {
        Path root = Path.of(System.getProperty("tally.root", "..")).toAbsolutePath().normalize();
        return root.resolve(System.getProperty("tally.web.screenshots", "e2e/target/screenshots"));
    }
}
