package org.coalitiontracker.membership;

import java.math.BigDecimal;

import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/** The body of {@code PATCH /clusters/{id}/figures}: a cluster's revised figures, all three, and their basis. */
public record FiguresRevision(
        @NotNull @PositiveOrZero @Digits(integer = 9, fraction = 3) BigDecimal emissionsReductionMtPerYear,
        @NotNull @PositiveOrZero Long jobs,
        @NotNull @PositiveOrZero @Digits(integer = 9, fraction = 3) BigDecimal gdpUsdBn,
        @Size(max = 500) String figuresBasis) {
}
