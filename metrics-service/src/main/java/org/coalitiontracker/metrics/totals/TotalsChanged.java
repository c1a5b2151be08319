package org.coalitiontracker.metrics.totals;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The new absolute totals of one scope, published on {@code coalition-totals} keyed by scope. Contract:
 * {@value #SCHEMA}. Readers keep, per scope, the message with the highest version.
 */
public record TotalsChanged(String scope, long version, String causedByEventId, long clusters, long countries,
        BigDecimal emissionsReductionMtPerYear, long jobs, BigDecimal gdpUsdBn, Instant updatedAt) {

    public static final String TYPE = "org.coalitiontracker.TotalsChanged.v1";
    public static final String SCHEMA = "/contracts/totals-changed-v1.schema.json";

}
