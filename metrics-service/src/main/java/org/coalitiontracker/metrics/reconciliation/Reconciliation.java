package org.coalitiontracker.metrics.reconciliation;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.coalitiontracker.metrics.totals.DeadLetters;
import org.coalitiontracker.metrics.totals.TotalsChanged;

/**
 * {@code GET /reconciliation}: the coalition totals next to the roster's own sums, every figure that differs, since
 * when they have differed (as this instance has seen; null while equal), and what the totals did not count: the
 * records dead-lettered. A difference that lasts more than a moment (events still on their way) means the totals
 * have drifted or stalled.
 */
public record Reconciliation(Status status, Instant checkedAt, Instant differentSince, List<Difference> differences,
        TotalsChanged totals, RosterSummary roster, DeadLetters.Summary deadLettered) {

    public enum Status {
        EQUAL,
        DIFFERENT
    }

    public record Difference(String figure, Object totals, Object roster) {
    }

    /** Compares; {@code differentBefore} is when the previous check found them different, or null. */
    static Reconciliation of(TotalsChanged totals, RosterSummary roster, DeadLetters.Summary deadLettered,
            Instant differentBefore) {
        List<Difference> differences = new ArrayList<>();
        compare(differences, "clusters", totals.clusters(), roster.clusters());
        compare(differences, "countries", totals.countries(), roster.countries());
        compare(differences, "emissionsReductionMtPerYear", totals.emissionsReductionMtPerYear(),
                roster.emissionsReductionMtPerYear());
        compare(differences, "jobs", totals.jobs(), roster.jobs());
        compare(differences, "gdpUsdBn", totals.gdpUsdBn(), roster.gdpUsdBn());
        Instant now = Instant.now();
        return new Reconciliation(differences.isEmpty() ? Status.EQUAL : Status.DIFFERENT, now,
                differences.isEmpty() ? null : differentBefore != null ? differentBefore : now, differences, totals,
                roster, deadLettered);
    }

    private static void compare(List<Difference> differences, String figure, Object totals, Object roster) {
        boolean equal = totals instanceof BigDecimal a && roster instanceof BigDecimal b ? a.compareTo(b) == 0
                : Objects.equals(totals, roster);
        if (!equal) {
            differences.add(new Difference(figure, totals, roster));
        }
    }
}
