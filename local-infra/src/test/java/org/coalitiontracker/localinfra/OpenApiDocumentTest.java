package org.coalitiontracker.localinfra;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OpenApiDocumentTest {

    @Test
    void aGeneratedDocumentFallsShortWhereSwaggerUiWouldShowIt() {
        String generated = """
                {"paths": {"/clusters": {"get": {"summary": "List", "parameters": [{"name": "page", "in": "query"}],
                  "responses": {"200": {"description": "OK", "content": {"application/json": {}}},
                                "400": {"description": "Bad Request"}}},
                  "post": {"summary": "Join a cluster", "description": "Adds a cluster to the roster, and its event.",
                    "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Join"}}}},
                    "responses": {"401": {"description": "Not Authorized"}}}}}}""";

        assertThat(OpenApiDocument.shortcomings(generated)).containsExactlyInAnyOrder(
                "GET /clusters: no summary in words (\"List\")",
                "GET /clusters: no description",
                "GET /clusters: parameter page has no description",
                "GET /clusters: response 200 (application/json) has no schema",
                "GET /clusters: response 400 is not application/problem+json with the Problem schema",
                "POST /clusters: no example of a application/json body",
                "POST /clusters: response 401 is not application/problem+json with the Problem schema",
                "POST /clusters: no success response");
    }

    @Test
    void aDocumentedOperationHasNoShortcoming() {
        String documented = """
                {"paths": {"/clusters/{id}": {"get": {"summary": "One cluster of the roster",
                  "description": "The cluster as the roster holds it now, with its version.",
                  "parameters": [{"name": "id", "in": "path", "description": "The cluster's id"}],
                  "responses": {
                    "200": {"description": "The cluster.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Cluster"}}}},
                    "304": {"description": "Not modified."},
                    "404": {"description": "No such cluster.", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}}}}}}""";

        assertThat(OpenApiDocument.shortcomings(documented)).isEmpty();
    }
}
