package org.coalitiontracker.reporting.coalition;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;

import org.coalitiontracker.contracts.TotalsChanged;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One line of a breakdown ({@code GET /coalition/countries} and the like): a country, region, sector or cohort
 * (join year) with its clusters, distinct countries (but for a country, which is one) and figures, and how fresh they
 * are: when they last changed, and the last event they reflect and when it happened.
 */
public record ScopeTotals(String name, long clusters,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "Distinct countries; absent in a country's "
                + "row") Long countries,
        BigDecimal emissionsReductionMtPerYear,
        long jobs, BigDecimal gdpUsdBn, Instant updatedAt, String lastEventId, Instant lastEventAt) {

    /** How a breakdown can be sorted: by name (A to Z), or by any figure (largest first). */
    static final Map<String, Comparator<ScopeTotals>> ORDERS = Map.of(
            "name", Comparator.comparing(ScopeTotals::name),
            "clusters", Comparator.comparingLong(ScopeTotals::clusters).reversed(),
            "countries", Comparator.comparing(ScopeTotals::countries, Comparator.nullsLast(Comparator.reverseOrder())),
            "emissionsReductionMtPerYear",
            Comparator.comparing(ScopeTotals::emissionsReductionMtPerYear).reversed(),
            "jobs", Comparator.comparingLong(ScopeTotals::jobs).reversed(),
            "gdpUsdBn", Comparator.comparing(ScopeTotals::gdpUsdBn).reversed());

    /** A scope as of a date: its figures from the directory's dates, with nothing of the events that made them. */
    static ScopeTotals of(String kind, Timeline.ScopeAsOf scope) {
        Timeline.Totals totals = scope.totals();
        return new ScopeTotals(scope.name(), totals.clusters(), kind.equals("country") ? null : totals.countries(),
                totals.emissionsReductionMtPerYear(), totals.jobs(), totals.gdpUsdBn(), null, null, null);
    }

    /** A scope now: its newest totals. */
    static ScopeTotals of(TotalsChanged scope) {
        return new ScopeTotals(scope.scope().substring(scope.scope().indexOf(':') + 1), scope.clusters(),
                scope.scope().startsWith("country:") ? null : scope.countries(),
                scope.emissionsReductionMtPerYear(), scope.jobs(), scope.gdpUsdBn(), scope.updatedAt(),
                scope.causedByEventId(), scope.causedByEventAt());
    }
}
