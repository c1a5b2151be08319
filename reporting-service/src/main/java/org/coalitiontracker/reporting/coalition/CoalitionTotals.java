package org.coalitiontracker.reporting.coalition;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

import org.coalitiontracker.contracts.TotalsChanged;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * {@code GET /coalition}: the coalition's headline figures as of a date, and how fresh they are: when the totals
 * last changed, the id of the last event they reflect, and ({@code freshness}) when that event happened, whether they
 * are stale and why, and the newest reconciliation with the roster.
 */
public record CoalitionTotals(LocalDate asOf, long clusters, long countries, BigDecimal emissionsReductionMtPerYear,
        long jobs, BigDecimal gdpUsdBn,
        @Schema(description = "When the current totals last changed; null in an answer for a date (asOf), which is "
                + "computed from the events up to lastEventId") Instant updatedAt,
        String lastEventId, Freshness.Report freshness) {

    /** The current totals; all zero until the first totals arrive. */
    static CoalitionTotals of(LocalDate today, TotalsChanged current, Freshness.Report freshness) {
        return current == null
                ? new CoalitionTotals(today, 0, 0, BigDecimal.ZERO, 0, BigDecimal.ZERO, null, null, freshness)
                : new CoalitionTotals(today, current.clusters(), current.countries(),
                        current.emissionsReductionMtPerYear(), current.jobs(), current.gdpUsdBn(), current.updatedAt(),
                        current.causedByEventId(), freshness);
    }

    /**
     * Totals as of a date, with the freshness of the current ones (both come from the same events); no updatedAt:
     * when the current totals changed says nothing of the totals on a past date.
     */
    static CoalitionTotals of(Timeline.Totals totals, TotalsChanged current, Freshness.Report freshness) {
        return new CoalitionTotals(totals.asOf(), totals.clusters(), totals.countries(),
                totals.emissionsReductionMtPerYear(), totals.jobs(), totals.gdpUsdBn(), null,
                current == null ? null : current.causedByEventId(), freshness);
    }
}
