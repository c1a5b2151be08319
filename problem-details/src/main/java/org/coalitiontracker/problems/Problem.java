package org.coalitiontracker.problems;

import java.net.URI;
import java.util.List;

import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An error as RFC 9457 problem details ({@code application/problem+json}), the one shape of every error the three
 * services answer. {@code violations} names each offending field of a body or parameter of a request, by the name
 * the caller used; {@code existing} is the resource a conflict is about.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(URI type, String title, int status, String detail, String existing, List<Violation> violations) {

    public static final String MEDIA_TYPE = "application/problem+json";
    /** A request with fields or parameters that are not acceptable; {@code violations} says which and why. */
    public static final URI INVALID_REQUEST = URI.create("https://coalition-tracker.org/problems/invalid-request");
    private static final URI BLANK = URI.create("about:blank");

    public record Violation(String field, String message) {
    }

    public static Problem of(Response.StatusType status, String title, String detail) {
        return new Problem(BLANK, title, status.getStatusCode(), detail, null, null);
    }

    /** A 400 naming each field or parameter that is not acceptable. */
    public static Problem invalid(List<Violation> violations) {
        return new Problem(INVALID_REQUEST, "Invalid request", 400, violations.size() == 1 ? "1 field is invalid"
                : violations.size() + " fields are invalid", null, violations);
    }

    /** A 400 about the request as a whole, such as a body that is not JSON. */
    public static Problem invalid(String detail) {
        return new Problem(INVALID_REQUEST, "Invalid request", 400, detail, null, null);
    }

    /** The same problem, of a type of its own, about an existing resource. */
    public Problem about(URI type, String existing) {
        return new Problem(type, title, status, detail, existing, violations);
    }

    public Response toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(this).build();
    }

    /** Shorthand for a response with a problem of the given status. */
    public static Response response(Response.StatusType status, String title, String detail) {
        return of(status, title, detail).toResponse();
    }
}
