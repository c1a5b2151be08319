package org.coalitiontracker.localinfra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a caller reading a service's OpenAPI document (as Swagger UI shows it) would miss. Each service's test
 * fetches its {@code /q/openapi} and expects no shortcoming, so that an endpoint added without its documentation
 * fails the build.
 */
public final class OpenApiDocument {

    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");
    private static final String PROBLEM = "#/components/schemas/Problem";
    private static final Pattern PARAMETER = Pattern.compile("\\{([^}]+)}");

    private OpenApiDocument() {
    }

    /**
     * Every operation has a summary of three words or more and a description; every parameter a description;
     * every request body an example; every success but 204 and 304 a schema for each media type; every error the
     * problem+json schema.
     */
    public static List<String> shortcomings(String json) {
        JsonNode document;
        try {
            document = new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            return List.of("the document is not JSON: " + e.getOriginalMessage());
        }
        List<String> shortcomings = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : entries(document.path("paths"))) {
            for (Map.Entry<String, JsonNode> method : entries(path.getValue())) {
                if (METHODS.contains(method.getKey())) {
                    check(method.getKey().toUpperCase() + " " + path.getKey(), path.getValue(), method.getValue(),
                            shortcomings);
                }
            }
        }
        return shortcomings;
    }

    /**
     * The paths of the reads (GET) whose every success is JSON, each path parameter given its value in {@code values}
     * (or {@code x}): what a client that takes only another media type, such as a browser's {@code text/html}, must be
     * refused (406) rather than sent JSON labelled as that type.
     */
    public static List<String> jsonReads(String json, Map<String, String> values) throws JsonProcessingException {
        JsonNode document = new ObjectMapper().readTree(json);
        List<String> reads = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : entries(document.path("paths"))) {
            JsonNode read = path.getValue().path("get");
            boolean onlyJson = read.has("responses");
            for (Map.Entry<String, JsonNode> response : entries(read.path("responses"))) {
                if (response.getKey().startsWith("2")) {
                    for (Map.Entry<String, JsonNode> media : entries(response.getValue().path("content"))) {
                        onlyJson &= media.getKey().equals("application/json");
                    }
                }
            }
            if (onlyJson) {
                reads.add(PARAMETER.matcher(path.getKey()).replaceAll(
                        parameter -> values.getOrDefault(parameter.group(1), "x")));
            }
        }
        return reads;
    }

    private static void check(String name, JsonNode path, JsonNode operation, List<String> shortcomings) {
        if (operation.path("summary").asText().split("\\s+").length < 3) {
            shortcomings.add(name + ": no summary in words (\"" + operation.path("summary").asText() + "\")");
        }
        if (operation.path("description").asText().length() < 30) {
            shortcomings.add(name + ": no description");
        }
        for (JsonNode parameters : List.of(path.path("parameters"), operation.path("parameters"))) {
            for (JsonNode parameter : parameters) {
                if (parameter.path("description").asText().isBlank()) {
                    shortcomings.add(name + ": parameter " + parameter.path("name").asText() + " has no description");
                }
            }
        }
        for (Map.Entry<String, JsonNode> media : entries(operation.path("requestBody").path("content"))) {
            if (!media.getValue().has("example") && !media.getValue().has("examples")) {
                shortcomings.add(name + ": no example of a " + media.getKey() + " body");
            }
        }
        boolean success = false;
        for (Map.Entry<String, JsonNode> response : entries(operation.path("responses"))) {
            String status = response.getKey();
            JsonNode content = response.getValue().path("content");
            if (response.getValue().path("description").asText().isBlank()) {
                shortcomings.add(name + ": response " + status + " has no description");
            }
            if (status.startsWith("2")) {
                success = true;
                if (!status.equals("204") && content.isEmpty()) {
                    shortcomings.add(name + ": response " + status + " has no content");
                }
                for (Map.Entry<String, JsonNode> media : entries(content)) {
                    if (media.getValue().path("schema").isEmpty()) {
                        shortcomings.add(name + ": response " + status + " (" + media.getKey() + ") has no schema");
                    }
                }
            } else if ((status.startsWith("4") || status.startsWith("5"))
                    && !content.path("application/problem+json").path("schema").path("$ref").asText().equals(PROBLEM)) {
                shortcomings.add(name + ": response " + status + " is not application/problem+json with the Problem schema");
            }
        }
        if (!success) {
            shortcomings.add(name + ": no success response");
        }
    }

    private static Iterable<Map.Entry<String, JsonNode>> entries(JsonNode node) {
        return node::fields;
    }
}
