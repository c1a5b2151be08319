package org.coalitiontracker.metrics.reconciliation;

import java.math.BigDecimal;
import java.time.LocalDate;

/** What this service reads of membership-service's {@code GET /roster/summary}. */
public record RosterSummary(LocalDate asOf, long clusters, long countries, BigDecimal emissionsReductionMtPerYear,
        long jobs, BigDecimal gdpUsdBn) {
}
