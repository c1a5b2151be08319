package org.coalitiontracker.membership.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.coalitiontracker.localinfra.DevelopmentTokens;
import org.coalitiontracker.localinfra.InjectLocalInfra;
import org.coalitiontracker.localinfra.OpenApiDocument;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
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
}
