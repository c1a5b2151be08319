package org.coalitiontracker.reporting.coalition;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * What this service reads of a {@code TotalsChanged} v1 message on {@code coalition-totals} (contract:
 * metrics-service's totals-changed-v1.schema.json).
 */
public record TotalsChanged(String scope, long version, String causedByEventId, long clusters, long countries,
        BigDecimal emissionsReductionMtPerYear, long jobs, BigDecimal gdpUsdBn, Instant updatedAt) {

    static TotalsChanged of(ScopeView view) {
        return new TotalsChanged(view.scope, view.version, view.lastEventId, view.clusters, view.countries,
                view.emissionsReductionMtPerYear, view.jobs, view.gdpUsdBn, view.updatedAt);
    }
}
