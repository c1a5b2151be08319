package org.coalitiontracker.metrics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.coalitiontracker.localinfra.OpenApiDocument;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** The OpenAPI document (and Swagger UI) says what each endpoint answers, errors included. */
@QuarkusTest
class ApiDocumentTest {

    @Test
    void everyOperationIsDocumentedAsCallersMeetIt() {
        assertThat(OpenApiDocument.shortcomings(given().when().get("/q/openapi?format=json").asString())).isEmpty();
    }

    /**
     * A client that takes only HTML (or a shared cache that would keep the answer given to one for every browser) is
     * refused, rather than sent JSON, with its names as the members wrote them, labelled as HTML.
     */
    @Test
    void aReadThatAnswersJsonRefusesAClientThatTakesOnlyHtml() throws Exception {
        List<String> reads = OpenApiDocument.jsonReads(given().when().get("/q/openapi?format=json").asString(),
                Map.of("scope", "coalition", "date", "2024-01-16"));
        assertThat(reads).contains("/totals", "/reconciliation");
        for (String read : reads) {
            given().accept("text/html").when().get(read).then().statusCode(406)
                    .contentType("application/problem+json");
        }
    }
}
