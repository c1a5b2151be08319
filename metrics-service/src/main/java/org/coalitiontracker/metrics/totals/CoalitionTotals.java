package org.coalitiontracker.metrics.totals;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/** The whole coalition's current totals, as other features of this service read them. */
@ApplicationScoped
public class CoalitionTotals {

    /** All zero until the first event is applied. */
    @WithSession
    public Uni<TotalsChanged> current() {
        return ScopeTotals.<ScopeTotals> findById(ScopeTotals.COALITION)
                .map(totals -> TotalsChanged.of(totals != null ? totals : ScopeTotals.empty(ScopeTotals.COALITION)));
    }
}
