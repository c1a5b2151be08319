package org.coalitiontracker.metrics.reconciliation;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.coalitiontracker.metrics.totals.TotalsChanged;

/**
 * {@code GET /reconciliation}: the coalition totals next to the roster's own sums, and every figure that differs. A
 * difference that lasts more than a moment (events still on their way) means the totals have drifted.
 */
public record Reconciliation(Status status, Instant checkedAt, List<Difference> differences, TotalsChanged totals,
        RosterSummary roster) {

    public enum Status {
        EQUAL, DIFFERENT
    }

    public record Difference(String figure, Object totals, Object roster) {
    }

    static Reconciliation of(TotalsChanged totals, RosterSummary roster) {
        List<Difference> differences = new ArrayList<>();
        compare(differences, "clusters", totals.clusters(), roster.clusters());
        compare(differences, "countries", totals.countries(), roster.countries());
        compare(differences, "emissionsReductionMtPerYear", totals.emissionsReductionMtPerYear(),
                roster.emissionsReductionMtPerYear());
        compare(differences, "jobs", totals.jobs(), roster.jobs());
        compare(differences, "gdpUsdBn", totals.gdpUsdBn(), roster.gdpUsdBn());
        return new Reconciliation(differences.isEmpty() ? Status.EQUAL : Status.DIFFERENT, Instant.now(), differences,
                totals, roster);
    }

    private static void compare(List<Difference> differences, String figure, Object totals, Object roster) {
        boolean equal = totals instanceof BigDecimal a && roster instanceof BigDecimal b ? a.compareTo(b) == 0
                : Objects.equals(totals, roster);
        if (!equal) {
            differences.add(new Difference(figure, totals, roster));
        }
    }
}
