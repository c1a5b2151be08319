package org.coalitiontracker.metrics.totals;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/** The current totals, for debugging: the product's views are served by reporting-service. */
@Path("/totals")
public class TotalsResource {

    @GET
    @WithSession
    public Uni<List<TotalsChanged>> all() {
        return ScopeTotals.<ScopeTotals> listAll().map(all -> all.stream().map(TotalsChanged::of).toList());
    }
}
