package org.coalitiontracker.membership.roster;

import java.math.BigDecimal;
import java.time.LocalDate;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

@Path("/roster")
@Produces(MediaType.APPLICATION_JSON)
public class RosterResource {

    /**
     * Members as of {@code asOf} (today when absent): joined on or before it and not withdrawn by then, and the exact
     * sums of their figures.
     */
    @GET
    @Path("/summary")
    @WithSession
    @Operation(summary = "The roster's members and sums on a date", description = "How many clusters and countries "
            + "were members at the end of a date (joined on or before it, not withdrawn by then) and the exact sums of "
            + "their figures, straight from the system of record: what metrics-service reconciles its totals with.")
    @APIResponse(responseCode = "200", description = "The members' count and sums.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RosterSummary.class)))
    public Uni<RosterSummary> summary(
            @Parameter(description = "The date (YYYY-MM-DD); today when absent", example = "2024-01-16") @QueryParam("asOf") LocalDate asOf) {
        LocalDate date = asOf != null ? asOf : LocalDate.now();
        return Panache.getSession().chain(session -> session.createSelectionQuery("""
                select count(c), count(distinct c.country), sum(c.emissionsReductionMtPerYear), sum(c.jobs),
                       sum(c.gdpUsdBn)
                from Cluster c where c.joinedOn <= ?1 and (c.withdrawnOn is null or c.withdrawnOn > ?1)""",
                Object[].class)
                .setParameter(1, date)
                .getSingleResult())
                .map(row -> new RosterSummary(date, (Long) row[0], (Long) row[1], orZero((BigDecimal) row[2]),
                        row[3] == null ? 0 : (Long) row[3], orZero((BigDecimal) row[4])));
    }

    private static BigDecimal orZero(BigDecimal sum) {
        return sum == null ? BigDecimal.ZERO : sum;
    }
}
