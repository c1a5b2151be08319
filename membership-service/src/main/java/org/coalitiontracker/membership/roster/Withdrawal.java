package org.coalitiontracker.membership.roster;

import java.time.LocalDate;

import jakarta.validation.constraints.NotNull;

import org.coalitiontracker.contracts.Bounds;
import org.coalitiontracker.problems.PlainText;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /clusters/{id}/withdrawal}: the date a cluster left the coalition, and why. */
public record Withdrawal(
        @Schema(example = "2025-06-30", description = JoinRequest.DATE
                + "; not before the cluster joined") @NotNull @CoalitionDate LocalDate withdrawnOn,
        @Schema(maxLength = Bounds.MAX_TEXT_LENGTH) @PlainText(max = Bounds.MAX_TEXT_LENGTH) String reason) {
}
