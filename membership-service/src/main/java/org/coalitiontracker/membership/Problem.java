package org.coalitiontracker.membership;

import java.net.URI;
import java.util.List;

import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An error as RFC 9457 problem details ({@code application/problem+json}). {@code violations} names each offending
 * field of a request, by its name in the request body.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(URI type, String title, int status, String detail, String existing, List<Violation> violations) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public record Violation(String field, String message) {
    }

    static Problem of(Response.Status status, String title, String detail) {
        return new Problem(URI.create("about:blank"), title, status.getStatusCode(), detail, null, null);
    }

    static Problem invalid(String detail, List<Violation> violations) {
        return new Problem(URI.create("https://coalition-tracker.org/problems/invalid-request"), "Invalid request",
                400, detail, null, violations);
    }

    Problem withExisting(String uri) {
        return new Problem(URI.create("https://coalition-tracker.org/problems/already-a-member"), title, status,
                detail, uri, violations);
    }

    Response toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(this).build();
    }
}
