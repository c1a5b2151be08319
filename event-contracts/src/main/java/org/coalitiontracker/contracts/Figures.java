package org.coalitiontracker.contracts;

import java.math.BigDecimal;

/** A cluster's figures: emissions reduction potential (MtCO2e a year), jobs and GDP contribution (USD billions). */
public record Figures(BigDecimal emissionsReductionMtPerYear, Long jobs, BigDecimal gdpUsdBn) {

    /** Why these figures cannot be stored and summed (missing, or outside {@link Bounds}), or null. */
    public String problem() {
        if (emissionsReductionMtPerYear == null || jobs == null || gdpUsdBn == null) {
            return "emissionsReductionMtPerYear, jobs and gdpUsdBn are required";
        }
        if (!Bounds.isFigure(emissionsReductionMtPerYear) || !Bounds.isFigure(gdpUsdBn)) {
            return "emissionsReductionMtPerYear and gdpUsdBn must be between 0 and " + Bounds.MAX_FIGURE_TEXT
                    + " with at most " + Bounds.FIGURE_DECIMALS + " decimals";
        }
        if (!Bounds.isJobs(jobs)) {
            return "jobs must be between 0 and " + Bounds.MAX_JOBS;
        }
        return null;
    }
}
