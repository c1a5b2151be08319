package org.coalitiontracker.membership;

import java.time.LocalDate;

import jakarta.validation.constraints.NotNull;

import org.coalitiontracker.contracts.Bounds;
import org.coalitiontracker.problems.PlainText;

/** The body of {@code POST /clusters/{id}/withdrawal}: the date a cluster left the coalition, and why. */
public record Withdrawal(@NotNull @CoalitionDate LocalDate withdrawnOn,
        @PlainText(max = Bounds.MAX_TEXT_LENGTH) String reason) {
}
