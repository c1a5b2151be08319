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

    boolean isZero() {
        return clusters == 0 && jobs == 0 && emissionsReductionMtPerYear.signum() == 0 && gdpUsdBn.signum() == 0;
    }

    Sums negate() {
        return new Sums(-clusters, emissionsReductionMtPerYear.negate(), -jobs, gdpUsdBn.negate());
    }
}
