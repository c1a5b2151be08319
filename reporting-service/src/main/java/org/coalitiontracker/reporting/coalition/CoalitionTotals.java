package org.coalitiontracker.reporting.coalition;

import java.math.BigDecimal;
import java.time.Instant;

/** {@code GET /coalition}: the coalition's headline figures and how fresh they are. */
public record CoalitionTotals(long clusters, long countries, BigDecimal emissionsReductionMtPerYear, long jobs,
        BigDecimal gdpUsdBn, Instant updatedAt, String lastEventId) {

    static final CoalitionTotals NONE_YET = new CoalitionTotals(0, 0, BigDecimal.ZERO, 0, BigDecimal.ZERO, null, null);

    static CoalitionTotals of(ScopeView view) {
        return new CoalitionTotals(view.clusters, view.countries, view.emissionsReductionMtPerYear, view.jobs,
                view.gdpUsdBn, view.updatedAt, view.lastEventId);
    }
}
