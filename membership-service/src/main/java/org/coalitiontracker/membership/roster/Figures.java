package org.coalitiontracker.membership.roster;

import java.math.BigDecimal;

/** A cluster's figures, exact: emissions reduction potential (MtCO2e/yr), jobs and GDP contribution (USD bn). */
public record Figures(BigDecimal emissionsReductionMtPerYear, long jobs, BigDecimal gdpUsdBn) {

    static Figures of(Cluster cluster) {
        return new Figures(cluster.emissionsReductionMtPerYear, cluster.jobs, cluster.gdpUsdBn);
    }
}
