package org.coalitiontracker.problems;

import jakarta.ws.rs.BadRequestException;

/**
 * A query, path or header parameter that is not acceptable: answered 400 naming the parameter. A
 * {@link jakarta.ws.rs.WebApplicationException}, so that Quarkus REST passes it on from a parameter converter as it
 * is, instead of turning it into a bare 404.
 */
public class InvalidParameter extends BadRequestException {

    private final String parameter;

    public InvalidParameter(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
