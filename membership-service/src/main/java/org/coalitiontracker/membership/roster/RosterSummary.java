package org.coalitiontracker.membership.roster;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * {@code GET /roster/summary}: the members as of a date and the exact sums of their figures, computed from the roster
 * itself. It is the reference the totals downstream are reconciled against.
 */
public record RosterSummary(LocalDate asOf, long clusters, long countries, BigDecimal emissionsReductionMtPerYear,
        long jobs, BigDecimal gdpUsdBn) {
}
