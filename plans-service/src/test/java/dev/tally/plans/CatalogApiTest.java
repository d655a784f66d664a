package dev.tally.plans;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.contracts.CloudEventHeaders;
import dev.tally.contracts.Topics;
import dev.tally.testsupport.TallyInfraResource;
import dev.tally.testsupport.TestKafka;
import dev.tally.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "plans"))
class CatalogApiTest {

    private static RequestSpecification admin() {
        return given().header("Authorization", TestTokens.bearer(TestTokens.admin())).contentType(ContentType.JSON);
    }

    private static String draft(String code, int rank, long monthly) {
        return """
                {"code":"%s","name":"Studio","description":"for studios","rank":%d,"selfServe":true,"defaultFree":false,
                 "prices":[{"interval":"MONTH","amountMinor":%d,"currency":"USD"}],"creditsPerPeriod":2000,
                 "creditPeriod":"MONTH","dailyCredits":0,"seatsIncluded":2,"features":["pro-models"],
                 "overage":{"mode":"BLOCK","unitPriceMinor":0,"unitCredits":1}}""".formatted(code, rank, monthly);
    }

    private static int freeRank() {
        return 1000 + Math.abs(UUID.randomUUID().hashCode() % 100000);
    }

    @Test
    void theDemoCatalogIsLoadedOnceAndListedByRank() {
        given().get("/plans").then().statusCode(200)
                .body("code", hasItem("free")).body("find { it.code == 'free' }.dailyCredits", equalTo(100))
                .body("findAll { it.rank < 1000 }.code", contains("free", "plus", "pro", "enterprise"));
        given().get("/credit-packs").then().statusCode(200).body("code", containsInAnyOrder("pack-500", "pack-2000"));
    }

    @Test
    void anOldVersionStaysReadableAndUnchangedAfterANewOneIsPublished() {
        String code = "studio-" + UUID.randomUUID().toString().substring(0, 6);
        int rank = freeRank();
        admin().body(draft(code, rank, 5000)).post("/admin/plans").then().statusCode(201);
        admin().post("/admin/plans/{code}/publish", code).then().statusCode(201).body("version", equalTo(1));
        admin().body(draft(code, rank, 6000)).put("/admin/plans/{code}/draft", code).then().statusCode(200);
        admin().post("/admin/plans/{code}/publish", code).then().statusCode(201).body("version", equalTo(2));
        given().get("/plans/{code}/versions/1", code).then().statusCode(200).body("prices[0].amountMinor", equalTo(5000));
        given().get("/plans/{code}", code).then().statusCode(200).body("version", equalTo(2)).body("prices[0].amountMinor", equalTo(6000));
        given().get("/plans/{code}/versions", code).then().body("version", contains(1, 2));
    }

    @Test
    void aRetiredPlanIsNotForSaleButStillResolvesByVersion() {
        String code = "legacy-" + UUID.randomUUID().toString().substring(0, 6);
        admin().body(draft(code, freeRank(), 900)).post("/admin/plans").then().statusCode(201);
        admin().post("/admin/plans/{code}/publish", code).then().statusCode(201);
        admin().post("/admin/plans/{code}/retire", code).then().statusCode(200).body("status", equalTo("RETIRED"));
        given().get("/plans").then().body("code", not(hasItem(code)));
        given().get("/plans/{code}/versions/1", code).then().statusCode(200).body("prices[0].amountMinor", equalTo(900));
        admin().post("/admin/plans/{code}/retire", code).then().statusCode(409).body("code", equalTo("not_for_sale"));
    }

    @Test
    void everyPublishedVersionGoesToTheCompactedPlansTopicAsAFullSnapshotKeyedByCode() {
        String code = "topic-" + UUID.randomUUID().toString().substring(0, 6);
        int rank = freeRank();
        admin().body(draft(code, rank, 100)).post("/admin/plans").then().statusCode(201);
        admin().post("/admin/plans/{code}/publish", code).then().statusCode(201);
        admin().body(draft(code, rank, 200)).put("/admin/plans/{code}/draft", code).then().statusCode(200);
        admin().post("/admin/plans/{code}/publish", code).then().statusCode(201);
        List<String> types = new ArrayList<>();
        List<String> values = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestKafka.get().bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, "t-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.PLANS));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(300)).forEach(r -> {
                    if (code.equals(r.key())) {
                        types.add(new String(r.headers().lastHeader(CloudEventHeaders.TYPE).value(), StandardCharsets.UTF_8));
                        values.add(r.value());
                    }
                });
                return values.size() >= 2;
            });
        }
        assertEquals(List.of("plan.published", "plan.published"), types);
        var second = io.restassured.path.json.JsonPath.from(values.get(1));
        assertEquals(2, second.getInt("version"));
        assertEquals(200, second.getInt("prices[0].amountMinor"));
        assertEquals("PUBLISHED", second.getString("status"));
    }

    @Test
    void badDraftsAreRefusedWithEveryBadFieldNamedAndNothingIsStored() {
        String code = "bad-" + UUID.randomUUID().toString().substring(0, 6);
        String body = draft(code, 10, -5).replace("\"USD\"", "\"XXZ\"");
        admin().body(body).post("/admin/plans").then().statusCode(400).body("code", equalTo("invalid_request"))
                .body("errors.field", containsInAnyOrder("prices[0].amountMinor", "prices[0].currency", "prices", "rank"));
        given().get("/plans/{code}", code).then().statusCode(404).body("code", equalTo("plan_not_found"));
        admin().body(draft(code, freeRank(), 100).replace("\"MONTH\",\"amountMinor\"", "\"WEEK\",\"amountMinor\""))
                .post("/admin/plans").then().statusCode(400).body("errors[0].field", equalTo("prices[0].interval"));
        admin().body("{\"code\":\"hobby\",\"name\":\"Hobby\",\"rank\":1,\"selfServe\":true,\"defaultFree\":true}")
                .post("/admin/plans").then().statusCode(400).body("errors.code", hasItem("second_default_free"));
        admin().body("{\"code\":\"pack-x\",\"name\":\"X\",\"credits\":0,\"amountMinor\":100,\"currency\":\"USD\"}")
                .post("/admin/credit-packs").then().statusCode(400).body("errors.field", contains("credits"));
    }

    @Test
    void onlyAdminsChangeTheCatalog() {
        given().header("Authorization", TestTokens.bearer(TestTokens.service())).contentType(ContentType.JSON)
                .body(draft("sneaky", freeRank(), 1)).post("/admin/plans").then().statusCode(403);
        given().contentType(ContentType.JSON).body(draft("sneaky", freeRank(), 1)).post("/admin/plans").then().statusCode(401);
    }

    @Test
    void thePolicyForAPairComesFromTheTableAndAnAdminCanOverrideADirection() {
        given().get("/change-policy?from=plus&fromInterval=MONTH&to=pro&toInterval=MONTH").then().statusCode(200)
                .body("direction", equalTo("UPGRADE")).body("defaultTiming", equalTo("IMMEDIATE"));
        given().get("/change-policy?from=plus&fromInterval=MONTH&to=plus&toInterval=YEAR").then().body("direction", equalTo("UPGRADE"));
        given().get("/change-policy?from=pro&fromInterval=MONTH&to=enterprise&toInterval=MONTH").then().body("access", equalTo("CONTACT_SALES"));
        given().get("/change-policy?from=plus&fromInterval=MONTH&to=plus&toInterval=MONTH").then().statusCode(422).body("code", equalTo("same_plan"));
        given().get("/change-policy?from=plus&fromInterval=WEEK&to=pro&toInterval=MONTH").then().statusCode(400);
        admin().body("{\"fromCode\":\"plus\",\"toCode\":\"free\",\"allowedTimings\":[\"END_OF_PERIOD\",\"IMMEDIATE_PRORATED\"],\"defaultTiming\":\"END_OF_PERIOD\"}")
                .put("/admin/change-policies").then().statusCode(200);
        given().get("/change-policy?from=plus&fromInterval=MONTH&to=free&toInterval=MONTH").then()
                .body("allowedTimings", containsInAnyOrder("END_OF_PERIOD", "IMMEDIATE_PRORATED")).body("decidedBy", equalTo("override:plus->free"));
        admin().body("{\"direction\":\"DOWNGRADE\",\"allowedTimings\":[\"END_OF_PERIOD\"],\"defaultTiming\":\"IMMEDIATE\"}")
                .put("/admin/change-policies").then().statusCode(400).body("errors[0].field", equalTo("defaultTiming"));
    }
}
