package org.coalitiontracker.reporting.coalition;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;

/**
 * One line of a breakdown ({@code GET /coalition/countries} and the like): a country, region, sector or cohort
 * (join year) with its clusters, distinct countries and figures, and how fresh they are: when they last changed, and
 * the last event they reflect and when it happened.
 */
public record ScopeTotals(String name, long clusters, long countries, BigDecimal emissionsReductionMtPerYear,
        long jobs, BigDecimal gdpUsdBn, Instant updatedAt, String lastEventId, Instant lastEventAt) {

    /** How a breakdown can be sorted: by name (A to Z), or by any figure (largest first). */
    static final Map<String, Comparator<ScopeTotals>> ORDERS = Map.of(
            "name", Comparator.comparing(ScopeTotals::name),
            "clusters", Comparator.comparingLong(ScopeTotals::clusters).reversed(),
            "countries", Comparator.comparingLong(ScopeTotals::countries).reversed(),
            "emissionsReductionMtPerYear",
            Comparator.comparing(ScopeTotals::emissionsReductionMtPerYear).reversed(),
            "jobs", Comparator.comparingLong(ScopeTotals::jobs).reversed(),
            "gdpUsdBn", Comparator.comparing(ScopeTotals::gdpUsdBn).reversed());

    static ScopeTotals of(ScopeView view) {
        return new ScopeTotals(view.scope.substring(view.scope.indexOf(':') + 1), view.clusters, view.countries,
                view.emissionsReductionMtPerYear, view.jobs, view.gdpUsdBn, view.updatedAt, view.lastEventId,
                view.lastEventAt);
    }
}
