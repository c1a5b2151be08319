package org.coalitiontracker.membership;

import java.time.LocalDate;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PastOrPresent;
import jakarta.validation.constraints.Size;

/** The body of {@code POST /clusters/{id}/withdrawal}: the date a cluster left the coalition, and why. */
public record Withdrawal(@NotNull @PastOrPresent LocalDate withdrawnOn, @Size(max = 500) String reason) {
}
