package org.coalitiontracker.problems;

import java.util.List;

import jakarta.ws.rs.BadRequestException;

/** A request whose fields are not acceptable: a 400 naming each ({@link Problem#invalid(List)}). */
public class InvalidRequest extends BadRequestException {

    private final transient List<Problem.Violation> violations;

    public InvalidRequest(List<Problem.Violation> violations) {
        super(violations.size() + " fields are invalid");
        this.violations = List.copyOf(violations);
    }

    public List<Problem.Violation> violations() {
        return violations;
    }
}
