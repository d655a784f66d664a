package dev.tally.backbone;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.tally.testsupport.TallyInfraResource;
import dev.tally.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Strict JSON: every body Jackson would have guessed at is a 400 naming the field, and nothing is stored. */
@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false)
class StrictInputTest {

    static ValidatableResponse post(String accountId, byte[] body) {
        return given().header("Authorization", TestTokens.bearer(TestTokens.account(accountId)))
                .contentType(ContentType.JSON).body(body).post("/accounts/{id}/notes", accountId).then().log().ifValidationFails();
    }

    static void nothingStored(String accountId) {
        given().header("Authorization", TestTokens.bearer(TestTokens.service()))
                .get("/accounts/{id}/notes", accountId).then().statusCode(200).body("$", hasSize(0));
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', value = {
            "{'text':'x','amount':1,'amount':2}                 | amount | duplicate_key",
            "{'text':'x','amount':1,'text':'y'}                 | text   | duplicate_key",
            "{'text':'x','amount':1.5}                          | amount | wrong_type",
            "{'text':'x','amount':1.0}                          | amount | wrong_type",
            "{'text':'x','amount':'1'}                          | amount | wrong_type",
            "{'text':'x','amount':''}                           | amount | wrong_type",
            "{'text':'x','amount':true}                         | amount | wrong_type",
            "{'text':true,'amount':1}                           | text   | wrong_type",
            "{'text':5,'amount':1}                              | text   | wrong_type",
            "{'text':'x','amount':1,'pinned':'true'}            | pinned | wrong_type",
            "{'text':'x','amount':1,'pinned':1}                 | pinned | wrong_type",
            "{'text':'x','amount':1,'colour':'PURPLE'}          | colour | unknown_value",
            "{'text':'x','amount':1,'colour':0}                 | colour | unknown_value",
            "{'text':'a\\u0000b','amount':1}                    | text   | nul_character",
            "{'text':'x','amount':99999999999999999999}         | amount | wrong_type",
            "{'text':'x','amount':1,'remindAt':1000000000001}   | remindAt | wrong_type",
            "{'text':'x','amount':1,'remindAt':'+33658-09-27T01:46:41Z'} | remindAt | wrong_type",
            "{'text':'x','amount':1,'remindAt':'1969-12-31T23:59:59Z'}   | remindAt | wrong_type",
    })
    void aBodyJacksonWouldHaveGuessedAtIs400NamingTheField(String body, String field, String code) {
        String acc = "acc-" + UUID.randomUUID();
        post(acc, body.replace('\'', '"').getBytes(StandardCharsets.UTF_8)).statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("invalid_request"))
                .body("errors", hasSize(1)).body("errors[0].field", equalTo(field)).body("errors[0].code", equalTo(code));
        nothingStored(acc);
    }

    @Test
    void anythingAfterTheDocumentIsMalformedJsonNamingTheBodyAndBadUtf8NamesItsField() {
        String acc = "acc-" + UUID.randomUUID();
        post(acc, "{\"text\":\"x\",\"amount\":1}}}".getBytes(StandardCharsets.UTF_8)).statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("malformed_json"))
                .body("errors[0].field", equalTo("body"));
        post(acc, "{\"text\":\"x\",\"amount\":1} {}".getBytes(StandardCharsets.UTF_8)).statusCode(400)
                .body("code", equalTo("malformed_json")).body("errors[0].field", equalTo("body"));
        byte[] latin1 = "{\"text\":\"caf\u00e9\",\"amount\":1}".getBytes(StandardCharsets.ISO_8859_1);
        post(acc, latin1).statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("invalid_request")).body("errors[0].field", equalTo("text"))
                .body("errors[0].code", equalTo("malformed_json"));
        post(acc, new byte[] {'{', (byte) 0xC3, '(', '}'}).statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("malformed_json")).body("errors[0].field", equalTo("body"));
        nothingStored(acc);
    }

    @Test
    void aValidBodyIsStillAccepted() {
        String acc = "acc-" + UUID.randomUUID();
        post(acc, "{\"text\":\"x\",\"amount\":2,\"pinned\":true,\"colour\":\"RED\",\"unknown\":1}".getBytes(StandardCharsets.UTF_8))
                .statusCode(201);
        given().header("Authorization", TestTokens.bearer(TestTokens.service()))
                .get("/accounts/{id}/notes", acc).then().body("$", hasSize(1)).body("[0].amount", equalTo(2));
    }
}
