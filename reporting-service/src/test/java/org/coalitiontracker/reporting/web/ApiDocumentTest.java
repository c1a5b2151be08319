package org.coalitiontracker.reporting.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.coalitiontracker.localinfra.OpenApiDocument;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** The OpenAPI document (and Swagger UI) says what each endpoint answers, errors and 304s included. */
@QuarkusTest
class ApiDocumentTest {

    @Test
    void everyOperationIsDocumentedAsCallersMeetIt() {
        assertThat(OpenApiDocument.shortcomings(given().when().get("/q/openapi?format=json").asString())).isEmpty();
    }

    @Test
    void theRevalidatedAnswersListTheir304() {
        JsonPath document = given().when().get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath();
        for (String path : new String[] { "/coalition", "/coalition/history", "/coalition/{kind}",
                "/coalition/countries/{country}", "/clusters", "/clusters/{id}" }) {
            assertThat(document.getMap("paths.'" + path + "'.get.responses")).as(path).containsKey("304");
        }
    }

    @Test
    void theLiveStreamIsDocumentedThoughVertxServesIt() {
        JsonPath document = given().when().get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath();
        assertThat(document.getMap("paths.'/coalition/stream'.get.responses.'200'.content"))
                .containsKey("text/event-stream");
        assertThat(document.getList("paths.'/coalition/stream'.get.parameters.name")).contains("Last-Event-ID");
    }

    /**
     * A client that takes only HTML (or a shared cache that would keep the answer given to one for every browser) is
     * refused, rather than sent JSON, with its names as the members wrote them, labelled as HTML.
     */
    @Test
    void aReadThatAnswersJsonRefusesAClientThatTakesOnlyHtml() throws Exception {
        List<String> reads = OpenApiDocument.jsonReads(given().when().get("/q/openapi?format=json").asString(),
                Map.of("id", UUID.randomUUID().toString(), "kind", "countries", "country", "GB"));
        assertThat(reads).contains("/coalition", "/clusters", "/coalition/countries");
        for (String read : reads) {
            given().accept("text/html").when().get(read).then().statusCode(406)
                    .contentType("application/problem+json");
        }
    }
}
