package org.coalitiontracker.membership;

import java.math.BigDecimal;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;

import org.coalitiontracker.contracts.Bounds;
import org.coalitiontracker.problems.PlainText;

/** The body of {@code PATCH /clusters/{id}/figures}: a cluster's revised figures, all three, and their basis. */
public record FiguresRevision(
        @NotNull @Figure BigDecimal emissionsReductionMtPerYear,
        @NotNull @PositiveOrZero @Max(Bounds.MAX_JOBS) Long jobs,
        @NotNull @Figure BigDecimal gdpUsdBn,
        @PlainText(max = Bounds.MAX_TEXT_LENGTH) String figuresBasis) {
}
