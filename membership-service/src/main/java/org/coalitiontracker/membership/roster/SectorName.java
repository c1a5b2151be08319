package org.coalitiontracker.membership.roster;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/** The name of a {@link Sector}, such as {@code STEEL}. Null is left to {@code @NotNull}. */
@Target({ ElementType.FIELD, ElementType.PARAMETER })
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = SectorName.Validator.class)
public @interface SectorName {

    String message() default "must be a sector such as STEEL, HYDROGEN or CCS";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<SectorName, String> {

        private static final Set<String> NAMES = Arrays.stream(Sector.values()).map(Sector::name)
                .collect(Collectors.toUnmodifiableSet());

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || NAMES.contains(value);
        }
    }
}
