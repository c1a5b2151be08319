package org.coalitiontracker.reporting.coalition;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

@Path("/coalition")
public class CoalitionResource {

    /** The coalition's totals; all zero until the first totals arrive. */
    @GET
    @WithSession
    public Uni<CoalitionTotals> totals() {
        return ScopeView.<ScopeView> findById(ScopeView.COALITION)
                .map(view -> view == null ? CoalitionTotals.NONE_YET : CoalitionTotals.of(view));
    }
}
