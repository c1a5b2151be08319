package org.coalitiontracker.problems;

import jakarta.validation.ConstraintValidatorContext;

/** Reports a validator's own words as the violation's message. */
public final class Violations {

    private Violations() {
    }

    /** True if there is no problem; otherwise the problem is the message, taken literally (no EL, no {}). */
    public static boolean valid(ConstraintValidatorContext context, String problem) {
        if (problem == null) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate(problem.replace("\\", "\\\\").replace("{", "\\{")
                .replace("}", "\\}").replace("$", "\\$")).addConstraintViolation();
        return false;
    }
}
