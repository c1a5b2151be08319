package org.coalitiontracker.problems;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * The errors in each service's OpenAPI document as callers meet them: every 4xx and 5xx response is
 * {@code application/problem+json} with the {@link Problem} schema, and every operation lists the ones its kind can
 * answer: 400 when it takes a body or query or path parameters, 404 when it has a path parameter, 413 and 415 when it takes
 * a body, 401
 * and
 * 403 when it needs a token, 503 (the database is away; with Retry-After) always. Operation-specific problems (a 409,
 * say) are annotated where they arise; this filter gives them the schema. Registered with {@code mp.openapi.filter}.
 */
public class ProblemResponses implements OASFilter {

    private static final String SCHEMA = "#/components/schemas/Problem";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addSchema("Problem", problemSchema());
        if (openAPI.getPaths() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().values().forEach(
                item -> item.getOperations().values().forEach(operation -> documentProblems(item, operation)));
    }

    private static void documentProblems(PathItem item, Operation operation) {
        List<Parameter> parameters = new ArrayList<>();
        if (item.getParameters() != null) {
            parameters.addAll(item.getParameters());
        }
        if (operation.getParameters() != null) {
            parameters.addAll(operation.getParameters());
        }
        boolean body = operation.getRequestBody() != null;
        APIResponses responses = operation.getResponses();
        if (body || parameters.stream().anyMatch(parameter -> parameter.getIn() != Parameter.In.HEADER)) {
            add(responses, "400", "A parameter or a field of the body is not acceptable: `violations` names each "
                    + "one (by the name the caller used) and says why.");
        }
        if (parameters.stream().anyMatch(parameter -> parameter.getIn() == Parameter.In.PATH)) {
            add(responses, "404", "Nothing is found at this path.");
        }
        if (body) {
            add(responses, "413", "The body is larger than the service takes (quarkus.http.limits.max-body-size).");
            add(responses, "415", "The body is not of a media type this operation reads.");
        }
        if (operation.getSecurity() != null && !operation.getSecurity().isEmpty()) {
            add(responses, "401", "No bearer token, or one that is expired, not signed by the configured issuer or "
                    + "not meant for this service (audience).");
            add(responses, "403", "The token does not carry the role this operation needs.");
        }
        add(responses, "503", "The service's database is away; the request changed nothing and may be retried after "
                + "the seconds in Retry-After.");
        for (Map.Entry<String, APIResponse> response : responses.getAPIResponses().entrySet()) {
            if (response.getKey().startsWith("4") || response.getKey().startsWith("5")) {
                response.getValue().setContent(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                        OASFactory.createMediaType().schema(OASFactory.createSchema().ref(SCHEMA))));
            }
        }
    }

    private static void add(APIResponses responses, String status, String description) {
        APIResponse existing = responses.getAPIResponse(status);
        if (existing == null) {
            responses.addAPIResponse(status, OASFactory.createAPIResponse().description(description));
        } else if (existing.getDescription() == null || existing.getDescription().isBlank()
                || existing.getDescription().equals("Not Authorized") || existing.getDescription().equals("Not Allowed")
                || existing.getDescription().equals("Bad Request")) {
            existing.setDescription(description);
        }
    }

    private static Schema problemSchema() {
        Schema violation = object("One field or parameter that is not acceptable.")
                .addProperty("field", text("The field's or parameter's name, as the caller used it.", "joinedOn"))
                .addProperty("message", text("Why it is not acceptable.", "must be on or before 2026-12-02"))
                .required(List.of("field", "message"));
        return object("An error as RFC 9457 problem details: the one shape of every error of the Coalition Tracker.")
                .addProperty("type", text("A URI naming the kind of problem; about:blank when the status says it all.",
                        "https://coalition-tracker.org/problems/invalid-request"))
                .addProperty("title", text("The kind of problem, in words.", "Invalid request"))
                .addProperty("status", OASFactory.createSchema().addType(SchemaType.INTEGER)
                        .description("The HTTP status.").example(400))
                .addProperty("detail", text("What went wrong with this request.", "1 field is invalid"))
                .addProperty("existing", text("For a conflict: the URL of the resource it is about.",
                        "/clusters/5db1187e-c546-42d3-805b-72afd9e713be"))
                .addProperty("violations", OASFactory.createSchema().addType(SchemaType.ARRAY).items(violation)
                        .description("For a 400: each field or parameter that is not acceptable."))
                .required(List.of("type", "title", "status"));
    }

    private static Schema object(String description) {
        return OASFactory.createSchema().addType(SchemaType.OBJECT).description(description);
    }

    private static Schema text(String description, String example) {
        return OASFactory.createSchema().addType(SchemaType.STRING).description(description).example(example);
    }
}
