package org.coalitiontracker.membership.roster;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.math.BigDecimal;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import org.coalitiontracker.contracts.Bounds;

/**
 * An emissions reduction potential (MtCO2e a year) or GDP contribution (USD billions) as every consumer stores and
 * sums it ({@link Bounds#isFigure}): 0 to 10,000, exact to the thousandth. Null is left to {@code @NotNull}.
 */
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = Figure.Validator.class)
public @interface Figure {

    String message() default "must be a number from 0 to " + Bounds.MAX_FIGURE_TEXT + " with at most 3 decimals";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<Figure, BigDecimal> {
        @Override
        public boolean isValid(BigDecimal value, ConstraintValidatorContext context) {
            return value == null || Bounds.isFigure(value);
        }
    }
}
