package org.coalitiontracker.membership.roster;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.LocalDate;
import java.time.ZoneOffset;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import org.coalitiontracker.contracts.Bounds;

/**
 * A date in the coalition's life: from {@link Bounds#EARLIEST_DATE} to today, wherever today is on Earth (UTC+14 is
 * the first to reach a new day), so that a member service never has today's date refused. Null is left to
 * {@code @NotNull}.
 */
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = CoalitionDate.Validator.class)
public @interface CoalitionDate {

    String message() default "must be a date from 1900-01-01 to today";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<CoalitionDate, LocalDate> {

        private static final ZoneOffset EARLIEST_ZONE = ZoneOffset.ofHours(14);

        @Override
        public boolean isValid(LocalDate value, ConstraintValidatorContext context) {
            return value == null
                    || !value.isBefore(Bounds.EARLIEST_DATE) && !value.isAfter(LocalDate.now(EARLIEST_ZONE));
        }
    }
}
