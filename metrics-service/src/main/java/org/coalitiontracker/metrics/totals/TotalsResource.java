package org.coalitiontracker.metrics.totals;

import java.time.LocalDate;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.coalitiontracker.problems.InvalidParameter;
import org.eclipse.microprofile.openapi.annotations.Operation;

import io.smallrye.mutiny.Uni;

/** The totals, for debugging and reconciliation: the product's views are served by reporting-service. */
@Path("/totals")
public class TotalsResource {

    private final TotalsQueries queries;

    TotalsResource(TotalsQueries queries) {
        this.queries = queries;
    }

    @GET
    @Operation(summary = "Every scope's current totals")
    public Uni<List<TotalsChanged>> all() {
        return queries.current();
    }

    @GET
    @Path("/{scope}")
    @Operation(summary = "One scope's current totals (scopes: coalition, country:GB, region:EUROPE, sector:STEEL, "
            + "cohort:2025)")
    public Uni<TotalsChanged> scope(@PathParam("scope") String scope) {
        return known(scope);
    }

    @GET
    @Path("/{scope}/history")
    @Operation(summary = "One scope's totals after each date on which they changed, oldest first")
    public Uni<List<TotalsAsOf>> history(@PathParam("scope") String scope) {
        return known(scope).chain(() -> queries.history(scope));
    }

    @GET
    @Path("/{scope}/history/{date}")
    @Operation(summary = "One scope's totals at the end of a date (YYYY-MM-DD), by the dates of joins and withdrawals")
    public Uni<TotalsAsOf> asOf(@PathParam("scope") String scope, @PathParam("date") LocalDate date) {
        return known(scope).chain(() -> queries.asOf(scope, date));
    }

    /** A scope named as the totals name them, and that has totals; a name that cannot be a scope is a bad request. */
    private Uni<TotalsChanged> known(String scope) {
        if (!Scope.isName(scope)) {
            throw new InvalidParameter("scope", "must be coalition or a kind and a value, such as country:GB, "
                    + "region:EUROPE, sector:STEEL or cohort:2025");
        }
        return queries.current(scope).onItem().ifNull()
                .failWith(() -> new NotFoundException("No totals for scope " + scope));
    }
}
