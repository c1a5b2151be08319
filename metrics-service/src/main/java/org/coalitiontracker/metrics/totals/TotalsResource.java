package org.coalitiontracker.metrics.totals;

import java.time.LocalDate;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.coalitiontracker.problems.InvalidParameter;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.smallrye.mutiny.Uni;

/** The totals, for debugging and reconciliation: the product's views are served by reporting-service. */
@Path("/totals")
@Produces(MediaType.APPLICATION_JSON)
public class TotalsResource {

    private static final String SCOPE_DESCRIPTION = "coalition, or a kind and a value: country:GB (ISO 3166-1 "
            + "alpha-2), region:EUROPE, sector:STEEL or cohort:2025 (the year of joining)";

    private final TotalsQueries queries;

    TotalsResource(TotalsQueries queries) {
        this.queries = queries;
    }

    @GET
    @Operation(summary = "Every scope's current totals", description = "The running totals of every scope (the "
            + "coalition, each country, region, sector and cohort), each as its newest TotalsChanged: for debugging "
            + "and reconciliation; the product's views are reporting-service's.")
    @APIResponse(responseCode = "200", description = "Every scope's totals.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = TotalsChanged.class)))
    public Uni<List<TotalsChanged>> all() {
        return queries.current();
    }

    @GET
    @Path("/{scope}")
    @Operation(summary = "One scope's current totals", description = "The running totals of one scope, as its newest "
            + "TotalsChanged: clusters, countries and the three exact figures, with its version and causing event.")
    @APIResponse(responseCode = "200", description = "The scope's totals.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TotalsChanged.class)))
    public Uni<TotalsChanged> scope(
            @Parameter(description = SCOPE_DESCRIPTION, example = "country:GB") @PathParam("scope") String scope) {
        return known(scope);
    }

    @GET
    @Path("/{scope}/history")
    @Operation(summary = "One scope's totals over time", description = "The scope's totals after each date on "
            + "which they changed (joins, revisions and withdrawals by their own dates), oldest first.")
    @APIResponse(responseCode = "200", description = "The totals after each date of change.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = TotalsAsOf.class)))
    public Uni<List<TotalsAsOf>> history(
            @Parameter(description = SCOPE_DESCRIPTION, example = "country:GB") @PathParam("scope") String scope) {
        return known(scope).chain(() -> queries.history(scope));
    }

    @GET
    @Path("/{scope}/history/{date}")
    @Operation(summary = "One scope's totals on a date", description = "The scope's totals at the end of a date, by "
            + "the dates of joins, revisions and withdrawals (not by when they were recorded).")
    @APIResponse(responseCode = "200", description = "The totals at the end of the date.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TotalsAsOf.class)))
    public Uni<TotalsAsOf> asOf(
            @Parameter(description = SCOPE_DESCRIPTION, example = "country:GB") @PathParam("scope") String scope,
            @Parameter(description = "The date, YYYY-MM-DD", example = "2024-01-16") @PathParam("date") LocalDate date) {
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
