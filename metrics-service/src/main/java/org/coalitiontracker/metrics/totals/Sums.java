package org.coalitiontracker.metrics.totals;

import java.math.BigDecimal;

/** The additive part of totals: clusters and the three figures, exact. */
record Sums(long clusters, BigDecimal emissionsReductionMtPerYear, long jobs, BigDecimal gdpUsdBn) {

    static final Sums ZERO = new Sums(0, BigDecimal.ZERO, 0, BigDecimal.ZERO);

    Sums plus(Sums other) {
        return new Sums(Math.addExact(clusters, other.clusters),
                emissionsReductionMtPerYear.add(other.emissionsReductionMtPerYear), Math.addExact(jobs, other.jobs),
                gdpUsdBn.add(other.gdpUsdBn));
    }

    Sums negate() {
        return new Sums(-clusters, emissionsReductionMtPerYear.negate(), -jobs, gdpUsdBn.negate());
    }
}
