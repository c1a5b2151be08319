package org.coalitiontracker.metrics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

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
}
