package org.coalitiontracker.metrics.reconciliation;

import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import org.coalitiontracker.metrics.totals.CoalitionTotals;

import io.smallrye.mutiny.Uni;

@Path("/reconciliation")
public class ReconciliationResource {

    private final MembershipRoster membership;
    private final CoalitionTotals coalitionTotals;

    ReconciliationResource(@RestClient MembershipRoster membership, CoalitionTotals coalitionTotals) {
        this.membership = membership;
        this.coalitionTotals = coalitionTotals;
    }

    /** Compares the coalition totals with membership-service's roster summary; 502 if membership cannot answer. */
    @GET
    public Uni<Response> reconcile() {
        return coalitionTotals.current()
                .chain(totals -> membership.summary().map(roster -> Reconciliation.of(totals, roster)))
                .map(reconciliation -> Response.ok(reconciliation).build())
                .onFailure().recoverWithItem(failure -> Response.status(Response.Status.BAD_GATEWAY)
                        .type("application/problem+json")
                        .entity(Map.of("title", "Membership unavailable", "status", 502,
                                "detail", "The roster summary could not be read: " + failure.getMessage()))
                        .build());
    }
}
