package org.coalitiontracker.metrics.totals;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The new absolute totals of one scope, published on {@code coalition-totals} keyed by scope. Contract:
 * {@value #SCHEMA}. Readers keep, per scope, the message with the highest version. {@code causedByEventAt} is when
 * the last event they reflect happened (its ce_time), so that a reader can tell how fresh they are.
 */
public record TotalsChanged(String scope, long version, String causedByEventId, Instant causedByEventAt,
        long clusters, long countries, BigDecimal emissionsReductionMtPerYear, long jobs, BigDecimal gdpUsdBn,
        Instant updatedAt) {

    public static final String TYPE = "org.coalitiontracker.TotalsChanged.v1";
    public static final String SCHEMA = "/contracts/totals-changed-v1.schema.json";

}
