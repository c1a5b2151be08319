package org.coalitiontracker.membership.roster;

import java.math.BigDecimal;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;

import org.coalitiontracker.contracts.Bounds;
import org.coalitiontracker.problems.PlainText;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code PATCH /clusters/{id}/figures}: a cluster's revised figures, all three, and their basis. */
public record FiguresRevision(
        @Schema(minimum = "0", maximum = Bounds.MAX_FIGURE_TEXT, multipleOf = 0.001, example = "30.500") @NotNull @Figure BigDecimal emissionsReductionMtPerYear,
        @Schema(minimum = "0", maximum = "10000000", example = "90000") @NotNull @PositiveOrZero @Max(Bounds.MAX_JOBS) Long jobs,
        @Schema(minimum = "0", maximum = Bounds.MAX_FIGURE_TEXT, multipleOf = 0.001, example = "18.250") @NotNull @Figure BigDecimal gdpUsdBn,
        @Schema(maxLength = Bounds.MAX_TEXT_LENGTH) @PlainText(max = Bounds.MAX_TEXT_LENGTH) String figuresBasis) {
}
