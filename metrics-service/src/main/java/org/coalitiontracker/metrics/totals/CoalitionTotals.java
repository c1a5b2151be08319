package org.coalitiontracker.metrics.totals;

import java.math.BigDecimal;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

/** The whole coalition's current totals, as other features of this service read them. */
@ApplicationScoped
public class CoalitionTotals {

    private final TotalsQueries queries;

    CoalitionTotals(TotalsQueries queries) {
        this.queries = queries;
    }

    /** All zero until the first event is applied. */
    public Uni<TotalsChanged> current() {
        return queries.current(Scope.COALITION).map(totals -> totals != null ? totals
                : new TotalsChanged(Scope.COALITION, 0, null, null, 0, 0, BigDecimal.ZERO, 0, BigDecimal.ZERO,
                        null));
    }
}
