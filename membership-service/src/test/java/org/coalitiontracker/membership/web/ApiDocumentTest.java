package org.coalitiontracker.membership.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.coalitiontracker.localinfra.DevelopmentTokens;
import org.coalitiontracker.localinfra.InjectLocalInfra;
import org.coalitiontracker.localinfra.OpenApiDocument;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** The OpenAPI document (and Swagger UI) tells a member service all it needs, and its examples work. */
@QuarkusTest
class ApiDocumentTest {

    @InjectLocalInfra
    DevelopmentTokens tokens;

    @Test
    void everyOperationIsDocumentedAsCallersMeetIt() {
        assertThat(OpenApiDocument.shortcomings(given().when().get("/q/openapi?format=json").asString())).isEmpty();
    }

    @Test
    void aJoinIsDocumentedWithItsRealAnswersAndItsExampleIsAccepted() {
        JsonPath document = given().when().get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath();
        Map<String, Object> responses = document.getMap("paths.'/clusters'.post.responses");
        assertThat(responses).containsKeys("201", "400", "401", "403", "409", "415", "503").doesNotContainKey("200");
        assertThat(document.getMap("paths.'/clusters'.post.responses.'201'.headers")).containsKey("Location");

        Map<String, Object> examples = document
                .getMap("paths.'/clusters'.post.requestBody.content.'application/json'.examples");
        assertThat(examples).isNotEmpty();
        for (String name : examples.keySet()) {
            Map<String, Object> example = new HashMap<>(document.getMap(
                    "paths.'/clusters'.post.requestBody.content.'application/json'.examples.'" + name + "'.value"));
            example.put("name", "Example of " + example.get("name"));
            given().auth().oauth2(tokens.token("membership-publisher", "publisher")).contentType("application/json")
                    .body(example)
                    .when().post("/clusters")
                    .then().statusCode(201);
        }
    }

    /**
     * A client that takes only HTML (or a shared cache that would keep the answer given to one for every browser) is
     * refused, rather than sent JSON, with its names as the members wrote them, labelled as HTML.
     */
    @Test
    void aReadThatAnswersJsonRefusesAClientThatTakesOnlyHtml() throws Exception {
        List<String> reads = OpenApiDocument.jsonReads(given().when().get("/q/openapi?format=json").asString(),
                Map.of("id", UUID.randomUUID().toString()));
        assertThat(reads).contains("/clusters", "/roster/summary");
        for (String read : reads) {
            given().accept("text/html").when().get(read).then().statusCode(406)
                    .contentType("application/problem+json");
        }
    }

    /**
     * A join asked for HTML is refused before it is made. An import so asked is answered in JSON labelled as such
     * (HTTP lets a server disregard Accept, and Quarkus REST does where two methods share a path), never as HTML.
     */
    @Test
    void aWriteFromAClientThatTakesOnlyHtmlIsNeverAnsweredInHtml() {
        long clusters = given().when().get("/roster/summary").then().statusCode(200).extract().jsonPath()
                .getLong("clusters");
        String token = tokens.token("membership-publisher", "publisher");
        given().auth().oauth2(token).accept("text/html").contentType("application/json").body("""
                {"name": "Hub <b>Refused</b>", "country": "AU", "joinedOn": "2025-06-30", "sectors": ["HYDROGEN"],
                 "emissionsReductionMtPerYear": 1.000, "jobs": 1, "gdpUsdBn": 0.001}""")
                .when().post("/clusters").then().statusCode(406).contentType("application/problem+json");
        assertThat(given().when().get("/roster/summary").then().extract().jsonPath().getLong("clusters"))
                .isEqualTo(clusters);
        given().auth().oauth2(token).accept("text/html").contentType("application/json").body("[]")
                .when().post("/clusters/import").then().statusCode(200).contentType(ContentType.JSON)
                .body("rows", equalTo(0));
    }
}
