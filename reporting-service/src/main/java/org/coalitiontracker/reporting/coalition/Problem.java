package org.coalitiontracker.reporting.coalition;

import jakarta.ws.rs.core.Response;

/** An error as RFC 9457 problem details ({@code application/problem+json}). */
public record Problem(String type, String title, int status, String detail) {

    public static Response response(Response.Status status, String title, String detail) {
        return Response.status(status).type("application/problem+json")
                .entity(new Problem("about:blank", title, status.getStatusCode(), detail)).build();
    }
}
