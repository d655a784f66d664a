package dev.tally.e2e.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.e2e.Suite;
import dev.tally.e2e.Suite.Service;
import dev.tally.testsupport.TestTokens;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Plan & Credits page in headless chromium, through the seed journeys: free to paid, an
 * immediate upgrade with its reviewed summary, a downgrade at the period end and its cancellation,
 * cancel with the date the plan stays active, a top-up, Enterprise's contact sales.
 */
class PlanAndCreditsPageTest {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM uuuu", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static Browser browser;
    private static String web;

    @BeforeAll
    static void openBrowser() {
        web = WebApp.url();
        browser = new Browser();
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    /** Signs in with the dev login as a new account, which starts on Free; answers its id. */
    static String signInAsNewAccount(Browser b) {
        String acc = signIn(b, "acc-web-" + UUID.randomUUID());
        assertEquals("Free", b.text("#plan-name"), b.page());
        return acc;
    }

    static String signIn(Browser b, String acc) {
        String web = WebApp.url();
        b.open(web + "/");
        b.find("#accountId").sendKeys(acc);
        b.submit("#sign-in");
        return acc;
    }

    private static void review(String plan, String interval, String expectedDefaultTiming) {
        String form = "#change-" + plan + "-" + interval;
        assertEquals(expectedDefaultTiming, browser.find(form + " input[name=timing]:checked").getAttribute("value"),
                "the seeds' default timing is preselected for " + plan);
        browser.submit("#change-" + plan + "-" + interval + " button");
    }

    private static void upgradeTo(String plan) {
        review(plan, "MONTH", "IMMEDIATE");
        browser.submit("#confirm");
        assertTrue(browser.text("#flash").startsWith("Plan change confirmed."), browser.page());
    }

    @Test
    void freeToPaidShowsThePlanItsCreditsAndTheCharge() {
        String acc = signInAsNewAccount(browser);
        browser.eventually(() -> browser.text("#lots").contains("DAILY 100"), "the free plan's 100 daily credits");
        review("plus", "MONTH", "IMMEDIATE");
        assertEquals("$10.00", browser.text("#pay-now"));
        browser.submit("#confirm");
        assertEquals("Plan change confirmed. You are on plus now; paid $10.00.", browser.text("#flash"));
        assertEquals("Plus", browser.text("#plan-name"));
        assertTrue(browser.text("#charges").contains("$10.00"), browser.text("#charges"));
        browser.eventually(() -> browser.text("#lots").contains("SUBSCRIPTION 1000"), "Plus's 1000 subscription credits for " + acc);
        assertTrue(browser.text("#ledger").contains("GRANT"), browser.text("#ledger"));
    }

    @Test
    void anImmediateUpgradeIsChargedWhatItsReviewedSummarySaid() {
        signInAsNewAccount(browser);
        upgradeTo("plus");
        review("pro", "MONTH", "IMMEDIATE");
        assertEquals("Change immediately with allocation", browser.text("#timing"));
        String payNow = browser.text("#pay-now");
        assertEquals("$30.00", browser.text("#charge"));
        assertTrue(browser.text("#credit-for-unused").matches("\\$[0-9]\\.[0-9]{2}|\\$10\\.00"), "Plus's unused month is credited: "
                + browser.text("#summary"));
        java.math.BigDecimal credit = new java.math.BigDecimal(browser.text("#credit-for-unused").substring(1));
        assertEquals("$" + new java.math.BigDecimal("30.00").subtract(credit), payNow, "pay now = the charge less the credit");
        assertTrue(browser.text("#credits-outlook").contains("5000 granted"), browser.text("#credits-outlook"));
        browser.submit("#confirm");
        assertEquals("Plan change confirmed. You are on pro now; paid " + payNow + ".", browser.text("#flash"));
        assertEquals("Pro", browser.text("#plan-name"));
        assertTrue(browser.text("#current-plan").contains("team-collaboration"), browser.text("#current-plan"));
    }

    @Test
    void aDowngradeWaitsForThePeriodEndBlocksCancelAndCanBeCancelled() {
        String acc = signInAsNewAccount(browser);
        upgradeTo("pro");
        review("plus", "MONTH", "END_OF_PERIOD");
        assertEquals("Change at the end of the period", browser.text("#timing"));
        assertEquals("$0.00", browser.text("#pay-now"));
        browser.submit("#confirm");
        String periodEnd = DAY.format(periodEnd(acc));
        assertEquals("Plan change confirmed. You move to plus on " + periodEnd + ".", browser.text("#flash"));
        assertEquals("Pro", browser.text("#plan-name"));
        assertTrue(browser.text("#pending-change").contains("moves to plus (monthly) on " + periodEnd), browser.page());

        browser.submit("#cancel-plan");
        assertTrue(browser.find("#flash").getAttribute("class").contains("error"));
        assertTrue(browser.text("#flash").endsWith("(pending_change_blocks_cancel)"), browser.text("#flash"));

        browser.submit("#cancel-pending");
        assertEquals("The scheduled change is cancelled; your plan stays as it is.", browser.text("#flash"));
        assertTrue(browser.all("#pending-change").isEmpty(), browser.page());
        assertEquals("Pro", browser.text("#plan-name"));
    }

    @Test
    void cancellingSaysUntilWhenThePlanStaysActiveAndResumeUndoesIt() {
        String acc = signInAsNewAccount(browser);
        upgradeTo("plus");
        browser.submit("#cancel-plan");
        String until = DAY.format(periodEnd(acc));
        assertEquals("Cancelled. Your plus plan stays active until " + until + ", then you are on Free.", browser.text("#flash"));
        assertEquals("Cancelled: plus stays active until " + until + ", then Free.", browser.text("#cancelled"));
        assertEquals("Plus", browser.text("#plan-name"));
        browser.submit("#resume");
        assertEquals("Resumed. Your plus plan renews on " + until + ".", browser.text("#flash"));
        assertTrue(browser.all("#cancelled").isEmpty(), browser.page());
    }

    @Test
    void aTopUpAddsCreditsThatNeverExpireAndAChargeLine() {
        signInAsNewAccount(browser);
        browser.submit("#buy-pack-500 button");
        assertEquals("Bought 500 credits. They never expire.", browser.text("#flash"));
        assertTrue(browser.text("#charges").contains("$5.00"), browser.text("#charges"));
        browser.eventually(() -> browser.text("#lots").contains("TOPUP 500 never"), "the 500 top-up credits");
    }

    @Test
    void enterpriseIsContactSalesAndTheInquiryReachesSupport() {
        String acc = signInAsNewAccount(browser);
        assertTrue(browser.all("#offer-enterprise form[action='/plan/review']").isEmpty(), "Enterprise is not self-serve");
        browser.find("#contact-enterprise input[name=contactEmail]").sendKeys("cto@example.com");
        browser.find("#contact-enterprise textarea").sendKeys("50 seats");
        browser.submit("#contact-enterprise button");
        assertEquals("Thanks: sales will contact you at cto@example.com.", browser.text("#flash"));
        given().baseUri(Suite.get().url(Service.SUBSCRIPTIONS)).header("Authorization", TestTokens.bearer(TestTokens.admin()))
                .get("/admin/sales-inquiries?accountId=" + acc).then().statusCode(200)
                .body("[0].contactEmail", org.hamcrest.Matchers.equalTo("cto@example.com"));
        assertEquals("Free", browser.text("#plan-name"));
    }

    private static Instant periodEnd(String acc) {
        return Instant.parse(given().baseUri(Suite.get().url(Service.SUBSCRIPTIONS))
                .header("Authorization", TestTokens.bearer(TestTokens.account(acc)))
                .get("/accounts/{id}/subscription", acc).then().statusCode(200).extract().path("periodEnd"));
    }
}
