package org.coalitiontracker.membership.roster;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import org.coalitiontracker.contracts.Bounds;
import org.coalitiontracker.contracts.Text;
import org.coalitiontracker.problems.Violations;

/**
 * A cluster's name: text every consumer can store and show as written ({@link Text}, at most 200 characters), whose
 * key for the duplicate check ({@link Cluster#nameKey}) also fits: some characters expand when decomposed (one
 * U+FDFA is 18) or spelled out (ß is ss). Null is left to {@code @NotNull}.
 */
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = ClusterName.Validator.class)
public @interface ClusterName {

    String message() default "must be a cluster's name";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<ClusterName, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null) {
                return true;
            }
            String problem = Text.problem(value, Bounds.MAX_NAME_LENGTH);
            String key = problem == null ? Cluster.nameKey(value) : "";
            if (key.codePointCount(0, key.length()) > Bounds.MAX_NAME_LENGTH) {
                problem = "is too long once normalised for the duplicate check (at most " + Bounds.MAX_NAME_LENGTH
                        + " characters after accents are taken apart and letters such as ß spelled out)";
            }
            return Violations.valid(context, problem);
        }
    }
}
