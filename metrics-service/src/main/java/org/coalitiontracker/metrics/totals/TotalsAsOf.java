package org.coalitiontracker.metrics.totals;

import java.math.BigDecimal;
import java.time.LocalDate;

/** A scope's totals as of the end of a date, by the effective dates of joins and withdrawals. */
public record TotalsAsOf(String scope, LocalDate asOf, long clusters, long countries,
        BigDecimal emissionsReductionMtPerYear, long jobs, BigDecimal gdpUsdBn) {
}
