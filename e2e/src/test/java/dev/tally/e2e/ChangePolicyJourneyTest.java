package dev.tally.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.e2e.Suite.Service;
import dev.tally.testsupport.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The change policy travels on the plans topic: subscriptions-service resolves it from its catalog
 * read model and answers every (from, to, interval) question of the seed catalog as plans-service's
 * {@code GET /change-policy} does; an override set in plans-service reaches the read model and changes
 * both the answer and what a preview offers, with no call to plans-service on the way.
 */
class ChangePolicyJourneyTest {
    private static final List<String> INTERVALS = List.of("MONTH", "YEAR");
    private final Suite suite = Suite.get();

    @Test
    void everyMoveOfTheSeedCatalogIsAnsweredAsPlansServiceAnswersIt() {
        List<String> codes = as(Service.PLANS).get("/plans").then().statusCode(200).extract().jsonPath().getList("code", String.class);
        assertTrue(codes.containsAll(List.of("free", "plus", "pro", "enterprise")), "the seed catalog: " + codes);
        List<Map<String, Object>> published = sameMoves(codes, "plans-service"); // asked once: plans-service's answers stay put
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEquals(published, sameMoves(codes, "subscriptions-service")));
    }

    @Test
    void anOverrideSetInPlansServiceReachesTheReadModelAndChangesTheAnswer() {
        String move = "?from=free&fromInterval=MONTH&to=plus&toInterval=MONTH";
        String acc = "acc-" + UUID.randomUUID();
        try {
            put("{\"fromCode\":\"free\",\"toCode\":\"plus\",\"allowedTimings\":[\"IMMEDIATE\",\"IMMEDIATE_PRORATED\"],"
                    + "\"defaultTiming\":\"IMMEDIATE_PRORATED\"}");
            Map<String, Object> published = answer(as(Service.PLANS).get("/change-policy" + move));
            assertEquals("IMMEDIATE_PRORATED", published.get("defaultTiming"));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertEquals(published, answer(as(Service.SUBSCRIPTIONS).get("/catalog/change-policy" + move))));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().baseUri(suite.url(Service.SUBSCRIPTIONS))
                    .header("Authorization", TestTokens.bearer(TestTokens.account(acc))).header("Idempotency-Key", UUID.randomUUID().toString())
                    .contentType(ContentType.JSON).body("{\"planCode\":\"plus\",\"interval\":\"MONTH\"}")
                    .post("/accounts/{id}/subscription/previews", acc).then().statusCode(200)
                    .body("timing", org.hamcrest.Matchers.equalTo("IMMEDIATE_PRORATED")));
        } finally { // the default row's terms again, for the suite's other journeys
            put("{\"fromCode\":\"free\",\"toCode\":\"plus\",\"allowedTimings\":[\"IMMEDIATE\",\"IMMEDIATE_PRORATED\"],\"defaultTiming\":\"IMMEDIATE\"}");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEquals("IMMEDIATE",
                    answer(as(Service.SUBSCRIPTIONS).get("/catalog/change-policy" + move)).get("defaultTiming")));
        }
    }

    /** Every answer (or problem) for every pair of plans and intervals, from one service, in a comparable shape. */
    private List<Map<String, Object>> sameMoves(List<String> codes, String from) {
        String path = from.equals("plans-service") ? "/change-policy" : "/catalog/change-policy";
        Service service = from.equals("plans-service") ? Service.PLANS : Service.SUBSCRIPTIONS;
        List<Map<String, Object>> out = new ArrayList<>();
        for (String a : codes) {
            for (String b : codes) {
                for (String ai : INTERVALS) {
                    for (String bi : INTERVALS) {
                        Map<String, Object> one = answer(as(service).queryParam("from", a).queryParam("fromInterval", ai)
                                .queryParam("to", b).queryParam("toInterval", bi).get(path));
                        one.put("move", a + " " + ai + " -> " + b + " " + bi);
                        out.add(one);
                    }
                }
            }
        }
        return out;
    }

    private static Map<String, Object> answer(Response r) {
        Map<String, Object> one = new TreeMap<>();
        one.put("status", r.statusCode());
        if (r.statusCode() == 200) {
            var json = r.jsonPath();
            for (String field : List.of("direction", "defaultTiming", "access", "decidedBy", "fromCode", "toCode", "fromInterval", "toInterval")) {
                one.put(field, json.getString(field));
            }
            one.put("allowedTimings", json.getList("allowedTimings", String.class).stream().sorted().toList());
        } else {
            one.put("code", r.jsonPath().getString("code"));
        }
        return one;
    }

    private void put(String override) {
        as(Service.PLANS).body(override).put("/admin/change-policies").then().statusCode(200);
    }

    private io.restassured.specification.RequestSpecification as(Service service) {
        return given().baseUri(suite.url(service)).header("Authorization", TestTokens.bearer(TestTokens.admin())).contentType(ContentType.JSON);
    }
}
