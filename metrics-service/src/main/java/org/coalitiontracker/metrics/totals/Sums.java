package org.coalitiontracker.metrics.totals;

import java.math.BigDecimal;

/**
 * The additive part of totals: clusters and the three figures, exact. The figures have at most 3 decimals, so they
 * are kept as whole thousandths: kilotonnes for MtCO2e, USD million for USD bn. Adding longs is exact and, with
 * every event of a batch added to each of its scopes' totals ({@link Ledger}), far cheaper than BigDecimals.
 */
record Sums(long clusters, long emissionsKtPerYear, long jobs, long gdpUsdMillion) {

    /** One cluster's figures; they must have at most 3 decimals (an ArithmeticException otherwise). */
    static Sums ofCluster(BigDecimal emissionsMtPerYear, long jobs, BigDecimal gdpUsdBn) {
        return new Sums(1, thousandths(emissionsMtPerYear), jobs, thousandths(gdpUsdBn));
    }

    private static long thousandths(BigDecimal value) {
        return value.movePointRight(3).longValueExact();
    }
}
